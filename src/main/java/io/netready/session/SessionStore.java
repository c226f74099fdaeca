package io.netready.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.config.NetreadyConfig;

/**
 * The signed-in sessions, kept in table {@code web_session}. A session ends when its user signs out, when an admin
 * revokes its user's sessions, after {@code netready.session.idle-timeout} without a request and
 * {@code netready.session.max-length} after its sign-in; an ended session's row is gone (deleted when it is met, and
 * by {@link SessionCleanup}), so its cookie signs nobody in again.
 */
@ApplicationScoped
public class SessionStore {

    /** The tokens of a live session, as the OIDC extension needs them, and whose they are. */
    public record Open(long id, String user, String idToken, String accessToken, String refreshToken) {
    }

    @Inject
    NetreadyConfig config;

    @Inject
    AuditLog audit;

    /** Starts a session for a user who has just signed in; returns the handle for the cookie. */
    @Transactional
    public String start(String user, String idToken, String accessToken, String refreshToken, String address) {
        String handle = SessionHandles.newHandle();
        Instant now = Instant.now();
        WebSession session = new WebSession();
        session.handleHash = SessionHandles.hash(handle);
        session.userName = user;
        session.idToken = idToken;
        session.accessToken = accessToken;
        session.refreshToken = refreshToken;
        session.startedAt = now;
        session.lastSeen = now;
        session.address = address;
        session.persist();
        return handle;
    }

    /**
     * The live session with this handle, its last use moved to now (at most once a minute: a page view is not a write);
     * empty for an unknown handle and for a session past its bounds, whose row goes at once.
     */
    @Transactional
    public Optional<Open> open(String handle) {
        if (!SessionHandles.looksLikeHandle(handle)) {
            return Optional.empty();
        }
        WebSession session = WebSession.findByHandleHash(SessionHandles.hash(handle));
        if (session == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (ended(session, now)) {
            session.delete();
            return Optional.empty();
        }
        if (session.lastSeen.isBefore(now.minus(touchEvery()))) {
            session.lastSeen = now;
        }
        return Optional.of(new Open(session.id, session.userName, session.idToken, session.accessToken,
                session.refreshToken));
    }

    /** New tokens for a live session (the provider refreshed them); its start, and so its end, stay as they were. */
    @Transactional
    public boolean refresh(String handle, String idToken, String accessToken, String refreshToken) {
        WebSession session = SessionHandles.looksLikeHandle(handle) ? WebSession.findByHandleHash(SessionHandles.hash(handle))
                : null;
        if (session == null || ended(session, Instant.now())) {
            return false;
        }
        session.idToken = idToken;
        session.accessToken = accessToken;
        session.refreshToken = refreshToken;
        session.lastSeen = Instant.now();
        return true;
    }

    /** Ends the session with this handle (signing out); false when there was none. */
    @Transactional
    public boolean end(String handle) {
        return SessionHandles.looksLikeHandle(handle)
                && WebSession.delete("handleHash", SessionHandles.hash(handle)) > 0;
    }

    /** Ends every session of {@code user}, in the audit log as the admin's; returns how many there were. */
    @Transactional
    public long revoke(String admin, String user) {
        long ended = WebSession.delete("userName", user);
        audit.record(admin, AuditAction.SESSION_REVOKE, null, null, user,
                ended == 1 ? "1 session ended" : ended + " sessions ended");
        return ended;
    }

    /** Live sessions, by user, the most recently used first. */
    @Transactional
    public List<SessionSummary> active() {
        Instant now = Instant.now();
        return WebSession.<WebSession> find("lastSeen >= ?1 and startedAt >= ?2 order by userName, lastSeen desc",
                now.minus(idleTimeout()), now.minus(maxLength())).stream()
                .map(s -> new SessionSummary(s.id, s.userName, s.startedAt, s.lastSeen, endsAt(s), s.address)).toList();
    }

    /** Deletes the rows of sessions past their bounds; returns how many. */
    @Transactional
    public long deleteEnded() {
        Instant now = Instant.now();
        return WebSession.delete("lastSeen < ?1 or startedAt < ?2", now.minus(idleTimeout()), now.minus(maxLength()));
    }

    private boolean ended(WebSession session, Instant now) {
        return !now.isBefore(endsAt(session));
    }

    /** When the session ends unless it is used again: idle time after its last use, capped by its total length. */
    private Instant endsAt(WebSession session) {
        Instant idle = session.lastSeen.plus(idleTimeout());
        Instant max = session.startedAt.plus(maxLength());
        return idle.isBefore(max) ? idle : max;
    }

    private Duration touchEvery() {
        Duration tenth = idleTimeout().dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    Duration idleTimeout() {
        return config.session().idleTimeout();
    }

    Duration maxLength() {
        return config.session().maxLength();
    }
}
