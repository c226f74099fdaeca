package io.netready.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.netready.report.ReevaluationService.NodeChange;

/** The sentence the cluster page and the audit log show after a re-evaluation. */
class ReevaluationSummaryTest {

    @Test
    void namesTheNodesWhoseVerdictChangedAndCountsOlderReports() {
        assertEquals("Re-evaluated 0 reports: the cluster has no stored report.", ReevaluationService.summary(0, List.of(), 0));
        assertEquals("Re-evaluated 1 report with the current rules and settings: no verdict changed.",
                ReevaluationService.summary(1, List.of(), 0));
        assertEquals("Re-evaluated 12 reports: 2 verdicts changed (node-a ready \u2192 not-ready, node-b warning \u2192 ready).",
                ReevaluationService.summary(12, List.of(new NodeChange(1, "node-a", "ready", "not-ready"),
                        new NodeChange(2, "node-b", "warning", "ready")), 0));
        assertEquals("Re-evaluated 12 reports: 3 verdicts changed (node-a ready \u2192 not-ready, 2 older reports).",
                ReevaluationService.summary(12, List.of(new NodeChange(1, "node-a", "ready", "not-ready")), 2));
        assertEquals("Re-evaluated 40 reports: 1 verdict changed (1 older report).", ReevaluationService.summary(40, List.of(), 1));
    }

    @Test
    void namesTenNodesAtMostAndCountsTheRest() {
        List<NodeChange> many = IntStream.range(0, 12).mapToObj(i -> new NodeChange(i, "n" + i, "ready", "warning")).toList();
        String summary = ReevaluationService.summary(5000, many, 0);
        assertEquals("Re-evaluated 5000 reports: 12 verdicts changed (n0 ready \u2192 warning, n1 ready \u2192 warning, "
                + "n2 ready \u2192 warning, n3 ready \u2192 warning, n4 ready \u2192 warning, n5 ready \u2192 warning, "
                + "n6 ready \u2192 warning, n7 ready \u2192 warning, n8 ready \u2192 warning, n9 ready \u2192 warning, "
                + "2 more nodes).", summary);
    }
}
