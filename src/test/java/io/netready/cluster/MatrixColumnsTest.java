package io.netready.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netready.rules.RuleInfo;
import io.netready.rules.Severity;

/**
 * How the node x rule matrix reads a report's stored status line into its cells: in catalog order whatever the
 * line's order, a rule the catalog no longer has left out, the known words shared, any other word kept as it is.
 */
class MatrixColumnsTest {

    private final ClusterMatrix.Columns columns = new ClusterMatrix.Columns(List.of(
            RuleInfo.node("ip-forward").title("t").category("c").description("d").remediation("r").severity(Severity.ERROR).build(),
            RuleInfo.node("default-route").title("t").category("c").description("d").remediation("r").severity(Severity.ERROR).build(),
            RuleInfo.cluster("unique-hostname").title("t").category("c").description("d").remediation("r").severity(Severity.ERROR).build()));

    private List<String> words(String line) {
        ClusterMatrix.Cell[] cells = columns.parse(line);
        return cells == null ? null : Arrays.stream(cells).map(c -> c == null ? null : c.status()).toList();
    }

    @Test
    void aLineInCatalogOrderFillsEveryCell() {
        assertEquals(Arrays.asList("pass", "fail", "skip"), words("ip-forward=pass default-route=fail unique-hostname=skip"));
        assertSame(ClusterMatrix.Cell.of("pass"), columns.parse("ip-forward=pass")[0], "a known word is one shared cell");
    }

    @Test
    void anotherOrderAMissingRuleAndARetiredRule() {
        assertEquals(Arrays.asList("warn", null, "fail"), words("unique-hostname=fail retired-rule=fail ip-forward=warn"));
        assertEquals(Arrays.asList(null, "waived", null), words("default-route=waived"));
    }

    @Test
    void anUnknownWordIsKeptAndALineWithoutKnownRulesIsNone() {
        assertEquals(Arrays.asList("maybe", null, null), words("ip-forward=maybe"));
        assertNull(words("retired-rule=pass"));
        assertNull(words(""));
        assertNull(words("ip-forward"));
        assertEquals(Arrays.asList("pass", null, null), words("ip-forward=pass  =fail"), "a doubled space, a rule-less pair");
    }
}
