package io.netready.rules.cluster;

import java.util.List;

import io.netready.rules.ClusterRule;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleInfo;
import io.netready.rules.Scope;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** The uniqueness rules over single values: hostname, machine-id, product_uuid and node IP. */
public final class IdentityRules {

    private IdentityRules() {
    }

    public static List<ClusterRule> all() {
        return List.of(
                new UniqueValueRule(info("unique-hostname", "Hostnames are unique in the cluster",
                        "Nodes register under their hostname: a second node with the same name overwrites the first's "
                                + "Node object, and both flap. Cloned VMs keep the template's hostname.",
                        "Give each node its own name with hostnamectl set-hostname."),
                        "hostname", NodeIdentity::hostname,
                        v -> new Snippet().note("Rename one of the nodes: hostnamectl set-hostname <unique-name>, then "
                                + "update /etc/hosts.")),
                new UniqueValueRule(info("unique-machine-id", "machine-ids are unique in the cluster",
                        "/etc/machine-id identifies the node to systemd, journald and the kubelet (node's systemUUID "
                                + "falls back to it). Cloned VMs share it unless it was regenerated.",
                        "Regenerate it on the clone: rm /etc/machine-id && systemd-machine-id-setup, then reboot."),
                        "machine-id", NodeIdentity::machineId,
                        v -> new Snippet().why("On the cloned node: regenerate the machine-id, then reboot.")
                                .run("rm -f /etc/machine-id /var/lib/dbus/machine-id")
                                .run("systemd-machine-id-setup")),
                new UniqueValueRule(info("unique-product-uuid", "product_uuids are unique in the cluster",
                        "kubeadm's preflight and the kubelet use /sys/class/dmi/id/product_uuid to tell nodes apart. VMs "
                                + "cloned without a new UUID share it. Readable by root only: run the probe as root.",
                        "Give the VM a new UUID in the hypervisor (a fresh clone, or its SMBIOS settings)."),
                        "product_uuid", NodeIdentity::productUuid,
                        v -> new Snippet().note("Change the VM's SMBIOS UUID in the hypervisor, or re-clone the VM with a "
                                + "new one; it cannot be changed from inside the node.")),
                new UniqueValueRule(info("unique-node-ip", "Node IPs are unique in the cluster",
                        "Each node is reached at the source address of its default route. Two nodes with the same "
                                + "address (a static IP copied with the VM) break traffic to both.",
                        "Give one node another address in its network configuration."),
                        "node IP", NodeIdentity::nodeIp,
                        v -> new Snippet().note("Give one of the nodes another address (DHCP reservation or static "
                                + "configuration), then restart the kubelet.")));
    }

    static RuleInfo info(String id, String title, String description, String remediation) {
        return new RuleInfo(id, title, "identity", Scope.CLUSTER, Severity.ERROR, RuleInfo.ALL_ROLES, RuleInfo.ALL_PHASES,
                description, remediation, List.of(Sources.NOTES_REQUIREMENTS, Sources.KUBEADM_INSTALL, Sources.NOTES_CLUSTER));
    }
}
