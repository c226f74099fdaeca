package io.netready.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Since when a node has reported each of its identity values, by the portal's receive time and kept while the node
 * keeps reporting the value: of two nodes sharing one, the one that reported it first keeps it (the unique-* rules).
 * A time is null where unknown (a node judged from a sample, not stored).
 *
 * @param macs one time per {@link NodeIdentity#macValues()} entry, in the same order
 */
public record IdentitySince(Instant hostname, Instant machineId, Instant productUuid, Instant nodeIp, List<Instant> macs) {

    public static final IdentitySince UNKNOWN = new IdentitySince(null, null, null, null, List.of());

    /** When the node first reported the MAC (its first interface with it), or null. */
    public Instant mac(NodeIdentity node, String mac) {
        List<String> values = node.macValues();
        for (int i = 0; i < values.size() && i < macs.size(); i++) {
            if (values.get(i).equalsIgnoreCase(mac)) {
                return macs.get(i);
            }
        }
        return null;
    }

    /**
     * The times of {@code now}'s values: a value the node reported before (in {@code before}, its stored identity)
     * keeps its time there, a new or changed one gets {@code receivedAt}. The database keeps the same times the same
     * way when it stores the identity.
     */
    public static IdentitySince carried(NodeIdentity before, NodeIdentity now, Instant receivedAt) {
        if (before == null) {
            List<Instant> macs = new ArrayList<>();
            now.macValues().forEach(m -> macs.add(receivedAt));
            return new IdentitySince(receivedAt, receivedAt, receivedAt, receivedAt, Collections.unmodifiableList(macs));
        }
        IdentitySince old = before.since();
        List<Instant> macs = new ArrayList<>();
        for (String mac : now.macValues()) {
            Instant kept = old.mac(before, mac);
            macs.add(kept != null ? kept : receivedAt);
        }
        return new IdentitySince(keep(before.hostname(), now.hostname(), old.hostname(), receivedAt),
                keep(before.machineId(), now.machineId(), old.machineId(), receivedAt),
                keep(before.productUuid(), now.productUuid(), old.productUuid(), receivedAt),
                keep(before.nodeIp(), now.nodeIp(), old.nodeIp(), receivedAt), Collections.unmodifiableList(macs));
    }

    private static Instant keep(String before, String now, Instant since, Instant receivedAt) {
        boolean same = before != null && now != null && before.toLowerCase(Locale.ROOT).equals(now.toLowerCase(Locale.ROOT));
        return same && since != null ? since : receivedAt;
    }
}
