package io.netready.rules.cluster;

import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;

/** Cloned VMs share /etc/machine-id unless it was regenerated. */
public class UniqueMachineIdRule extends UniqueValueRule {

    /** What a new machine-id changes for the node. */
    static final String BREAKS = "systemd, journald and D-Bus know the machine by it (the journal of the old id is "
            + "set apart); DHCP clients that derive their client ID from it (systemd-networkd) get a new lease, maybe a new "
            + "address; a node that has joined keeps its kubelet identity and node certificate from before until it "
            + "re-joins (kubeadm reset, then kubeadm join); reboot afterwards";

    public UniqueMachineIdRule() {
        super(identityRule("unique-machine-id").title("machine-ids are unique in the cluster")
                .description("/etc/machine-id identifies the node to systemd, journald and the kubelet (node's systemUUID "
                        + "falls back to it). Cloned VMs share it unless it was regenerated.")
                .remediation("The node that reported the machine-id first keeps it; regenerate it on the later one (rm "
                        + "/etc/machine-id && systemd-machine-id-setup, then reboot). The fix script does that only with "
                        + "--change-identity.")
                .build(), "machine-id", NodeIdentity::machineId, n -> n.since().machineId());
    }

    @Override
    Snippet remedy(String value) {
        return new Snippet().why("On this node (the one that reported the machine-id later): regenerate it, then reboot.")
                .changeIdentity(BREAKS, "rm -f /etc/machine-id /var/lib/dbus/machine-id", "systemd-machine-id-setup");
    }
}
