package io.netready.rules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The hostname rule names every reason a name is not a node name, so one fix gets them all. */
class HostnameRuleTest {

    @Test
    void namesEveryReason() {
        assertEquals("uppercase letters, an underscore, longer than 63 characters",
                HostnameRule.reason("Worker_" + "N".repeat(60)));
        assertEquals("an uppercase letter, underscores, a part that starts or ends with '-'",
                HostnameRule.reason("Node_1.rack_2-.lab"));
        assertEquals("a space, the characters '!' and '<', an empty part between dots", HostnameRule.reason("my node!<.."));
        assertEquals("localhost is the loopback address's name", HostnameRule.reason("localhost"));
        assertEquals("it starts or ends with '-'", HostnameRule.reason("-node"));
    }
}
