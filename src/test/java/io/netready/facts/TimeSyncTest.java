package io.netready.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.netready.facts.TimeSync.State;

/** The time tools' output forms: timedatectl show and status (old and new words), chronyc tracking, ntpq -pn. */
class TimeSyncTest {

    @Test
    void timedatectlShowAndStatus() {
        assertEquals(State.SYNCHRONISED, TimeSync.timedatectl("Timezone=Etc/UTC\nNTP=yes\nNTPSynchronized=yes\n").state());
        assertEquals(State.NOT_SYNCHRONISED, TimeSync.timedatectl("NTP=no\nNTPSynchronized=no\n").state());
        assertEquals(State.SYNCHRONISED, TimeSync.timedatectl(
                "               Local time: Wed 2026-12-02 03:00:00 UTC\nSystem clock synchronized: yes\n              NTP service: active\n")
                .state());
        assertEquals(State.NOT_SYNCHRONISED, TimeSync.timedatectl("      NTP synchronized: no\n").state());
        assertNull(TimeSync.timedatectl("Timezone=Etc/UTC\n"));
    }

    @Test
    void chronyLeapStatus() {
        assertEquals(State.SYNCHRONISED, TimeSync.chrony("Reference ID    : C0A80101 (gw)\nLeap status     : Normal\n").state());
        assertEquals("Leap status: Not synchronised", TimeSync.chrony("Leap status     : Not synchronised\n").line());
        assertEquals(State.SYNCHRONISED, TimeSync.chrony("Leap status     : Insert second\n").state());
        assertNull(TimeSync.chrony("506 Cannot talk to daemon\n"));
    }

    @Test
    void ntpqSystemPeer() {
        String header = "     remote           refid      st t when poll reach   delay   offset  jitter\n"
                + "==============================================================================\n";
        assertEquals(State.SYNCHRONISED, TimeSync.ntpq(header + "*192.0.2.1      .GPS.            1 u   33   64  377    0.123    0.045   0.010\n").state());
        assertEquals(State.NOT_SYNCHRONISED, TimeSync.ntpq(header + " 192.0.2.1      .INIT.          16 u    -   64    0    0.000    0.000   0.000\n").state());
        assertNull(TimeSync.ntpq("ntpq: read: Connection refused\n"));
    }
}
