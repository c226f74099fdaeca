package io.netready.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OrderedDiffTest {

    private static final String ACCEPT = "iptables -A INPUT -p tcp -m tcp --dport 6443 -j ACCEPT";
    private static final String DROP = "iptables -A INPUT -p tcp -j DROP";
    private static final String SSH = "iptables -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT";

    @Test
    void aDropMovedAboveAnAcceptIsAChange() {
        ReportDiff.GroupDiff diff = OrderedDiff.of(FactLines.FIREWALL, List.of(SSH, ACCEPT, DROP), List.of(SSH, DROP, ACCEPT));
        assertEquals(List.of(), diff.added());
        assertEquals(List.of(), diff.removed());
        assertEquals(1, diff.moved().size(), diff.toString());
        String moved = diff.moved().get(0);
        assertEquals(true, moved.startsWith(DROP) || moved.startsWith(ACCEPT), moved);
        assertEquals(true, moved.contains("of iptables INPUT"), moved);
    }

    @Test
    void addedAndRemovedRulesAreToldApartFromMovedOnes() {
        ReportDiff.GroupDiff diff = OrderedDiff.of(FactLines.FIREWALL, List.of(SSH, ACCEPT),
                List.of("iptables -A INPUT -p udp --dport 8472 -j ACCEPT", SSH, ACCEPT));
        assertEquals(List.of("iptables -A INPUT -p udp --dport 8472 -j ACCEPT"), diff.added());
        assertEquals(List.of(), diff.removed());
        assertEquals(List.of(), diff.moved());
    }

    @Test
    void aLargeRulesetWithOneChangeIsDiffedInOrder() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            before.add("iptables -A KUBE-SVC-" + i + " -j KUBE-SEP-" + i);
        }
        List<String> after = new ArrayList<>(before);
        after.add(10_000, after.remove(10_005));
        ReportDiff.GroupDiff diff = OrderedDiff.of(FactLines.FIREWALL, before, after);
        assertEquals(1, diff.moved().size(), diff.toString());
        assertEquals(List.of(), diff.added());
    }

    @Test
    void otherGroupsAreComparedAsSets() {
        ReportDiff diff = ReportDiff.between(java.util.Map.of(FactLines.ROUTES, List.of("a", "b")), List.of(),
                java.util.Map.of(FactLines.ROUTES, List.of("b", "a", "c")), List.of());
        assertEquals(List.of("c"), diff.facts().get(0).added());
        assertEquals(List.of(), diff.facts().get(0).moved());
    }
}
