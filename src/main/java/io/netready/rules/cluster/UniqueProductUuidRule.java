package io.netready.rules.cluster;

import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;

/** kubeadm and the kubelet tell nodes apart by their DMI product_uuid. */
public class UniqueProductUuidRule extends UniqueValueRule {

    public UniqueProductUuidRule() {
        super(identityRule("unique-product-uuid").title("product_uuids are unique in the cluster")
                .description("kubeadm's preflight and the kubelet use /sys/class/dmi/id/product_uuid to tell nodes apart. VMs "
                        + "cloned without a new UUID share it. Readable by root only: run the probe as root.")
                .remediation("Give the VM a new UUID in the hypervisor (a fresh clone, or its SMBIOS settings).")
                .build(), "product_uuid", NodeIdentity::productUuid, n -> n.since().productUuid());
    }

    @Override
    Snippet remedy(String value) {
        return new Snippet().note("Change this VM's SMBIOS UUID in the hypervisor (the node that reported it first "
                + "keeps it), or re-clone the VM with a new one; it cannot be changed from inside the node.");
    }
}
