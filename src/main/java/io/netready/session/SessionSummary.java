package io.netready.session;

import java.time.Instant;

/** What the sessions page shows of a session: no token, no handle. */
public record SessionSummary(long id, String user, Instant startedAt, Instant lastSeen, Instant endsAt, String address) {
}
