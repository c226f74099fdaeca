package io.netready.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The cookies a browser gets when it signs in and out through the real code flow, with production's cookie settings:
 * every one that holds a value is HttpOnly, Secure, SameSite=Lax and on Path=/. The portal is
 * reached over plain http here, so the Secure flag comes from the setting, not from TLS.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@TestProfile(SessionCookieTest.ProductionCookies.class)
class SessionCookieTest {

    @OidcWireMock
    WireMockServer provider;

    /**
     * Applies the {@code %prod.} cookie settings of application.properties, exactly as written there, and logs the
     * OIDC extension at DEBUG.
     */
    public static class ProductionCookies implements QuarkusTestProfile {

        static final String PREFIX = "%prod.quarkus.oidc.authentication.cookie-";

        @Override
        public Map<String, String> getConfigOverrides() {
            Properties properties = new Properties();
            try (InputStream in = SessionCookieTest.class.getResourceAsStream("/application.properties")) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith(PREFIX)) {
                    overrides.put(key.substring("%prod.".length()), properties.getProperty(key));
                }
            }
            if (!overrides.containsKey("quarkus.oidc.authentication.cookie-force-secure")) {
                throw new IllegalStateException("application.properties sets no " + PREFIX + "force-secure");
            }
            // So that a failed sign-out can say why (see the sign-out's failure message).
            overrides.put("quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG");
            overrides.put("quarkus.log.category.\"io.quarkus.vertx.http.runtime.security\".level", "DEBUG");
            return overrides;
        }
    }

    /** The OIDC extension's and HTTP security's records, one line each, tokens shortened. */
    private static String securityLines(List<LogRecord> records) {
        return records.stream()
                .filter(r -> r.getLoggerName() != null && (r.getLoggerName().startsWith("io.quarkus.oidc")
                        || r.getLoggerName().startsWith("io.quarkus.vertx.http.runtime.security")))
                .map(r -> r.getLevel() + " [" + r.getLoggerName() + "] " + withoutTokens(LogCapture.message(r))
                        + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String withoutTokens(String text) {
        return JWT.matcher(text).replaceAll("[JWT]");
    }

    /** One {@code Set-Cookie} header: the name, the value and the attributes (names lower-cased). */
    record SetCookie(String header, String name, String value, Map<String, String> attributes) {

        static SetCookie parse(String header) {
            String[] parts = header.split(";");
            int eq = parts[0].indexOf('=');
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i].strip();
                int at = part.indexOf('=');
                attributes.put((at < 0 ? part : part.substring(0, at)).toLowerCase(Locale.ROOT),
                        at < 0 ? "" : part.substring(at + 1));
            }
            return new SetCookie(header, parts[0].substring(0, eq).strip(), parts[0].substring(eq + 1), attributes);
        }

        /** The header with a long value cut short, for failure messages. */
        String shown() {
            return value.length() <= 40 ? header : header.replace(value, value.substring(0, 12) + "…");
        }

        boolean removes() {
            return "0".equals(attributes.get("max-age")) || value.isEmpty();
        }
    }

    /** A JWS in compact form, shortened in failure messages. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Test
    void signingInAndOutSetsOnlySecureHttpOnlyLaxCookies() {
        assertTrue(RestAssured.baseURI.startsWith("http://"), "the portal is reached over plain http here");

        BrowserSession session = BrowserSession.login(provider, "carla", "viewer", "team-platform");
        List<SetCookie> login = session.setCookieHeaders().stream().map(SetCookie::parse).toList();
        assertTrue(login.stream().anyMatch(c -> c.name().startsWith("q_auth") && !c.removes()),
                "the login sets a login-state cookie: " + login);
        assertTrue(login.stream().anyMatch(c -> c.name().startsWith("q_session") && !c.removes()),
                "the login sets a session cookie: " + login);

        // A page of the signed-in user works with those cookies and sets no others (the forms' CSRF token is in the page).
        Response page = session.given().get("/clusters");
        assertEquals(200, page.statusCode());
        List<SetCookie> browsing = page.headers().getValues("Set-Cookie").stream().map(SetCookie::parse).toList();

        Set<String> sent = session.cookies().keySet();
        Response logout;
        List<LogRecord> logoutLog;
        try (LogCapture log = LogCapture.start()) {
            logout = session.signOut("/clusters");
            logoutLog = log.records();
        }
        // CI shows the test report, not the whole log: a failed sign-out says why in the message.
        assertEquals(303, logout.statusCode(), () -> "logout redirects to the provider; sent cookies "
                + sent + ", answer headers:\n" + withoutTokens(logout.headers().toString())
                + "\nthe security log of the request:\n" + securityLines(logoutLog));
        List<SetCookie> signOut = logout.headers().getValues("Set-Cookie").stream().map(SetCookie::parse).toList();
        assertTrue(signOut.stream().anyMatch(c -> c.name().startsWith("q_session") && c.removes()),
                "logout removes the session cookie: " + signOut);

        List<SetCookie> all = new ArrayList<>(login);
        all.addAll(browsing);
        all.addAll(signOut);
        List<String> wrong = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (SetCookie cookie : all) {
            names.add(cookie.name());
            if (!"/".equals(cookie.attributes().get("path"))) {
                wrong.add("not Path=/: " + cookie.shown());
            }
            if (cookie.attributes().containsKey("domain")) {
                wrong.add("bound to a domain, so also sent to its subdomains: " + cookie.shown());
            }
            if (cookie.removes()) {
                // A removal holds nothing; it only has to match the cookie's name and path to delete it.
                if (!cookie.value().isEmpty()) {
                    wrong.add("a removal that still holds a value: " + cookie.shown());
                }
                continue;
            }
            if (!cookie.attributes().containsKey("httponly")) {
                wrong.add("not HttpOnly: " + cookie.shown());
            }
            if (!cookie.attributes().containsKey("secure")) {
                wrong.add("not Secure: " + cookie.shown());
            }
            if (!"lax".equalsIgnoreCase(cookie.attributes().get("samesite"))) {
                // Quarkus 3.29 puts SameSite (cookie-same-site) on the session cookie only; the portal adds it to the
                // login-state cookies (session/web/LoginCookies)
                wrong.add("not SameSite=Lax: " + cookie.shown());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertFalse(names.stream().anyMatch(name -> !name.startsWith("q_auth") && !name.startsWith("q_session")
                && !name.startsWith("q_post_logout")), "only the OIDC extension's cookies, got " + names);
    }
}
