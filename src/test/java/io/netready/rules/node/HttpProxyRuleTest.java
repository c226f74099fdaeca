package io.netready.rules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** NO_PROXY entries that may go into a fix: what passes validation comes out normalised, the rest not at all. */
class HttpProxyRuleTest {

    @Test
    void validEntries() {
        assertEquals(Optional.of("10.0.0.0/8"), HttpProxyRule.validEntry("10.1.2.3/8"));
        assertEquals(Optional.of("10.0.0.1"), HttpProxyRule.validEntry("10.0.0.1"));
        assertEquals(Optional.of(".svc"), HttpProxyRule.validEntry(".svc"));
        assertEquals(Optional.of("*.example.com"), HttpProxyRule.validEntry("*.example.com"));
        assertEquals(Optional.of("registry.local:5000"), HttpProxyRule.validEntry("registry.local:5000"));
    }

    @Test
    void hostileEntriesAreLeftOut() {
        for (String entry : new String[] { "a'b", "$(reboot)", "x y", "\"quoted\"", "10.0.0.0/99", "%h", "a;b" }) {
            assertTrue(HttpProxyRule.validEntry(entry).isEmpty(), entry);
        }
    }
}
