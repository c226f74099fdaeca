package io.netready.rules.cluster;

import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;

/** Cloned VMs share /etc/machine-id unless it was regenerated. */
public class UniqueMachineIdRule extends UniqueValueRule {

    public UniqueMachineIdRule() {
        super(identityRule("unique-machine-id").title("machine-ids are unique in the cluster")
                .description("/etc/machine-id identifies the node to systemd, journald and the kubelet (node's systemUUID "
                        + "falls back to it). Cloned VMs share it unless it was regenerated.")
                .remediation("Regenerate it on the clone: rm /etc/machine-id && systemd-machine-id-setup, then reboot.")
                .build(), "machine-id", NodeIdentity::machineId);
    }

    @Override
    Snippet remedy(String value) {
        return new Snippet().why("On the cloned node: regenerate the machine-id, then reboot.")
                .run("rm -f /etc/machine-id /var/lib/dbus/machine-id")
                .run("systemd-machine-id-setup");
    }
}
