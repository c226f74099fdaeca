package io.netready.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.DatabaseBehindProxy;
import io.netready.support.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;

/**
 * Sessions live in the database now; with the database down, a signed-in user still gets the portal's 503 page
 * (Retry-After, no internals), as every page answers then, and not the provider's login, which would throw away a
 * session that is fine. When the database is back, the same session goes on. The database is the real embedded
 * PostgreSQL behind a loopback proxy the test stops and starts ({@link DatabaseBehindProxy}).
 */
@QuarkusTest
@TestProfile(DatabaseDownSessionTest.BehindProxy.class)
class DatabaseDownSessionTest {

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcWiremockTestResource.class),
                    new TestResourceEntry(DatabaseBehindProxy.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @OidcWireMock
    WireMockServer provider;

    @Test
    void aSignedInUserGetsThe503PageWhileTheDatabaseIsDownAndTheSessionAfter() throws Exception {
        TcpProxy database = DatabaseBehindProxy.proxy();
        BrowserSession alice = BrowserSession.login(provider, "alice", "admin", "team-platform");
        alice.given().get("/clusters").then().statusCode(200);
        String handle = alice.cookies().get("q_session");
        try {
            database.refuse();
            for (String page : List.of("/clusters", "/sessions", "/logout")) {
                Response answer = alice.given().get(page);
                assertEquals(503, answer.statusCode(), page + " with the database down: " + answer.statusCode() + " "
                        + answer.header("Location"));
                answer.then().header("Retry-After", "30").contentType(containsString("text/html"))
                        .body(containsString("database is not reachable"), not(containsString("Exception")),
                                not(containsString(String.valueOf(database.port()))));
            }
            assertEquals(handle, alice.cookies().get("q_session"), "the session cookie is kept");
        } finally {
            database.forward();
        }
        alice.given().get("/clusters").then().statusCode(200);
    }
}
