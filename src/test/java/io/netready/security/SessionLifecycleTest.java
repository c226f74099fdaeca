package io.netready.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.netready.session.SessionHandles;
import io.netready.support.BrowserSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Sessions end on the server: a cookie saved before signing out, before an admin ended the user's sessions, or sent
 * after the session's idle time or total length, signs nobody in (the answer is the redirect to the provider's login,
 * as for a browser without a cookie). The cookie is a handle, no token; the table keeps only its hash. Sign-out is a
 * POST with the session's own CSRF token: a GET shows the form and signs nobody out.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class SessionLifecycleTest {

    @OidcWireMock
    WireMockServer provider;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aSavedCookieSignsNobodyInAfterSigningOut() {
        String name = unique("carla");
        BrowserSession carla = BrowserSession.login(provider, name, "viewer", "team-platform");
        Map<String, String> saved = carla.cookies();
        replay(saved).then().statusCode(200);

        // A GET of the sign-out address (a link or an image on any site) shows the form, and signs nobody out.
        carla.given().get("/logout").then().statusCode(200).body(containsString("action=\"/logout\""));
        // So does a POST without the session's token.
        carla.given().post("/logout").then().statusCode(403);
        replay(saved).then().statusCode(200);
        assertEquals(1, rows(saved.get("q_session")));

        Response out = carla.signOut("/clusters");
        assertEquals(303, out.statusCode(), out.asString());
        assertTrue(out.header("Location").contains("end-session"), "to the provider's end-session endpoint: "
                + out.header("Location"));
        assertEquals(0, rows(saved.get("q_session")), "the session's row is gone at once");

        assertSignInAgain(replay(saved), "the saved cookie after signing out");
    }

    @Test
    void theCookieIsAHandleAndTheTableKeepsOnlyItsHash() throws SQLException {
        String name = unique("dora");
        BrowserSession dora = BrowserSession.login(provider, name, "viewer", "team-platform");
        String cookie = dora.cookies().get("q_session");
        assertTrue(cookie.matches("[A-Za-z0-9_-]{43}"), "a random handle: " + cookie);
        assertFalse(cookie.contains("eyJ"), "no JWT (nor an encrypted one, a JWE) in the cookie");
        assertEquals(1, dora.cookies().keySet().stream().filter(c -> c.startsWith("q_session")).count(),
                "one session cookie, no chunks: " + dora.cookies().keySet());
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT handle_hash, id_token FROM web_session WHERE user_name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "the session is in the table");
                assertNotEquals(cookie, row.getString(1));
                assertEquals(SessionHandles.hash(cookie), row.getString(1));
                assertTrue(row.getString(2).startsWith("eyJ"), "the ID token is kept on the server");
                assertFalse(row.next(), "one session");
            }
        }
    }

    @Test
    void anIdleSessionEnds() {
        BrowserSession eve = BrowserSession.login(provider, unique("eve"), "viewer", "team-platform");
        Map<String, String> saved = eve.cookies();
        // 59 minutes idle is within the hour: the session goes on (and so the test can tell the two apart)
        age(saved.get("q_session"), "last_seen = now() - interval '59 minutes'");
        replay(saved).then().statusCode(200);
        age(saved.get("q_session"), "last_seen = now() - interval '61 minutes'");
        assertSignInAgain(replay(saved), "a session idle for 61 minutes (idle-timeout PT1H)");
        assertEquals(0, rows(saved.get("q_session")), "the ended session's row is deleted when met");
    }

    @Test
    void aSessionEndsAtItsMaximumLengthHoweverBusy() {
        BrowserSession fay = BrowserSession.login(provider, unique("fay"), "viewer", "team-platform");
        Map<String, String> saved = fay.cookies();
        age(saved.get("q_session"), "started_at = now() - interval '11 hours 59 minutes', last_seen = now()");
        replay(saved).then().statusCode(200);
        age(saved.get("q_session"), "started_at = now() - interval '12 hours 1 minute', last_seen = now()");
        assertSignInAgain(replay(saved), "a session started 12 h 1 min ago, used a moment ago (max-length PT12H)");
    }

    @Test
    void anAdminEndsAnotherUsersSessions() throws SQLException {
        String name = unique("gus");
        BrowserSession gus = BrowserSession.login(provider, name, "viewer", "team-platform");
        BrowserSession gusElsewhere = BrowserSession.login(provider, name, "viewer", "team-platform");
        BrowserSession alice = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String gusCookie = gus.cookies().get("q_session");

        // viewers see no sessions page and end nobody's sessions
        gus.given().get("/sessions").then().statusCode(403);
        gus.given().formParam("csrf", gus.csrf("/clusters")).formParam("name", "alice").post("/sessions/revoke")
                .then().statusCode(403);

        String page = alice.given().get("/sessions").then().statusCode(200).extract().asString();
        assertTrue(page.contains("data-user=\"" + name + "\""), "the page lists the user's sessions");
        assertFalse(page.contains(gusCookie) || page.contains(SessionHandles.hash(gusCookie)) || page.contains("eyJ"),
                "no handle, hash or token on the page");

        // without the admin's session token nothing happens
        alice.given().formParam("name", name).post("/sessions/revoke").then().statusCode(403);
        gus.given().get("/clusters").then().statusCode(200);

        Response revoked = alice.given().formParam("csrf", alice.csrf("/sessions")).formParam("name", name)
                .post("/sessions/revoke");
        assertEquals(303, revoked.statusCode(), revoked.asString());
        alice.given().get(revoked.header("Location")).then().statusCode(200)
                .body(containsString("Ended 2 sessions of " + name), not(containsString("data-user=\"" + name + "\"")));
        assertSignInAgain(gus.given().get("/clusters"), "the revoked user's session");
        assertSignInAgain(gusElsewhere.given().get("/clusters"), "the revoked user's other session");
        alice.given().get("/clusters").then().statusCode(200);

        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT actor, detail FROM audit_event WHERE action = 'session.revoke' AND target = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "the revocation is in the audit log");
                assertEquals("alice", row.getString(1));
                assertEquals("2 sessions ended", row.getString(2));
            }
        }
    }

    @Test
    void eachSessionHasItsOwnCsrfToken() {
        String name = unique("hal");
        BrowserSession first = BrowserSession.login(provider, name, "admin", "team-platform");
        BrowserSession second = BrowserSession.login(provider, name, "admin", "team-platform");
        String firstToken = first.csrf("/clusters");
        assertEquals(firstToken, first.csrf("/sessions"), "one token per session, on every page");
        assertNotEquals(firstToken, second.csrf("/clusters"), "a new sign-in, a new token");
        // the first session's token does not work in the second, though the user is the same
        second.given().formParam("csrf", firstToken).formParam("name", unique("nobody")).post("/sessions/revoke")
                .then().statusCode(403);
        second.given().formParam("csrf", second.csrf("/clusters")).formParam("name", unique("nobody"))
                .post("/sessions/revoke").then().statusCode(303);
    }

    /** A browser sending only these cookies. */
    private static Response replay(Map<String, String> cookies) {
        return RestAssured.given().cookies(cookies).redirects().follow(false).get("/clusters");
    }

    /** The answer a browser without a session gets: the redirect to the provider's login, and the cookie removed. */
    private void assertSignInAgain(Response answer, String what) {
        assertEquals(302, answer.statusCode(), what + " must not be signed in: " + answer.statusCode());
        assertTrue(answer.header("Location").startsWith(provider.baseUrl()), what + " is sent to the provider's "
                + "login: " + answer.header("Location"));
    }

    private int rows(String handle) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*) FROM web_session WHERE handle_hash = ?")) {
            select.setString(1, SessionHandles.hash(handle));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves a session back in time, as if its user had signed in or last been seen earlier. */
    private void age(String handle, String set) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE web_session SET " + set + " WHERE handle_hash = ?")) {
            update.setString(1, SessionHandles.hash(handle));
            assertEquals(1, update.executeUpdate(), "the session's row");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
