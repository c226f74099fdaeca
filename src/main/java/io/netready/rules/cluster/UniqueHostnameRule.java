package io.netready.rules.cluster;

import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;

/** A second node under the same hostname overwrites the first one's Node object. */
public class UniqueHostnameRule extends UniqueValueRule {

    public UniqueHostnameRule() {
        super(identityRule("unique-hostname").title("Hostnames are unique in the cluster")
                .description("Nodes register under their hostname: a second node with the same name overwrites the first's "
                        + "Node object, and both flap. Cloned VMs keep the template's hostname.")
                .remediation("The node that reported the name first keeps it; give the later one its own name with "
                        + "hostnamectl set-hostname.")
                .build(), "hostname", NodeIdentity::hostname, n -> n.since().hostname());
    }

    @Override
    Snippet remedy(String value) {
        return new Snippet().note("Rename this node (the node that reported the name first keeps it): hostnamectl "
                + "set-hostname <unique-name>, then update /etc/hosts. A node that has joined the cluster re-joins under "
                + "its new name (kubeadm reset, then kubeadm join): its kubelet certificate names the old one.");
    }
}
