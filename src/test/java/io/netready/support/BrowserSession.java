package io.netready.support;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser's session with the portal, logged in through the real OIDC authorization-code flow against the tests'
 * OIDC server: the portal redirects to the provider, the provider redirects back with a code, the portal redeems the
 * code at the provider's token endpoint and sets its session cookie.
 *
 * <p>Like a browser, the session keeps a cookie jar: every answer's {@code Set-Cookie} headers set or replace cookies,
 * and a removal ({@code Max-Age=0} or an empty value) deletes the cookie, so the login-state cookie the callback
 * removes is not sent again.
 */
public final class BrowserSession {

    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf\" content=\"([^\"]+)\">");
    private final Map<String, String> cookies = new HashMap<>();  // guarded by this
    private final List<String> setCookieHeaders = new ArrayList<>();

    private BrowserSession() {
    }

    public static BrowserSession login(WireMockServer provider, String user, String... groups) {
        BrowserSession session = new BrowserSession();
        Response back = session.signIn(provider, user, groups);
        if (back.statusCode() != 302 || session.cookies().keySet().stream().noneMatch(name -> name.startsWith("q_session"))) {
            throw new IllegalStateException("login as " + user + " failed: " + back.statusCode() + " " + back.body().asString());
        }
        return session;
    }

    /** A session that has not signed in: {@link #signIn} it, to see what the portal answers at each step. */
    public static BrowserSession anonymous() {
        return new BrowserSession();
    }

    /**
     * Goes through the code flow and returns the portal's answer to the provider's redirect back (the callback with
     * the code), whatever it is: a 302 with the session cookie when the login worked.
     */
    public Response signIn(WireMockServer provider, String user, String... groups) {
        Response challenge = given().get("/clusters");
        if (challenge.statusCode() != 302) {
            throw new IllegalStateException("expected a redirect to the OIDC provider, got " + challenge.statusCode());
        }
        setCookieHeaders.addAll(challenge.headers().getValues("Set-Cookie"));
        URI authorize = URI.create(challenge.header("Location"));
        Map<String, String> query = query(authorize.getRawQuery());
        String code = "code-" + user + "-" + UUID.randomUUID();
        provider.stubFor(post(urlEqualTo("/auth/realms/quarkus/token"))
                .withRequestBody(containing("code=" + code))
                .atPriority(1)
                .willReturn(okJson("{\"access_token\":\"" + OidcWiremockTestResource.getAccessToken(user, Set.of(groups))
                        + "\",\"id_token\":\"" + OidcWiremockTestResource.getIdToken(user, Set.of(groups), "quarkus-web-app")
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        String callback = java.net.URLDecoder.decode(query.get("redirect_uri"), java.nio.charset.StandardCharsets.UTF_8);
        Response back = given().urlEncodingEnabled(false)
                .get(URI.create(callback).getPath() + "?state=" + query.get("state") + "&code=" + code);
        setCookieHeaders.addAll(back.headers().getValues("Set-Cookie"));
        return back;
    }

    /** The {@code Set-Cookie} headers of the login's answers, as sent: the login-state cookie, then the session's. */
    public List<String> setCookieHeaders() {
        return List.copyOf(setCookieHeaders);
    }

    /** The cookies this session sends, by name. */
    public synchronized Map<String, String> cookies() {
        return Map.copyOf(cookies);
    }

    /** A request with this session's cookies, not following redirects; its answer's cookies go into the jar. */
    public RequestSpecification given() {
        return io.restassured.RestAssured.given().cookies(cookies()).redirects().follow(false)
                .filter((request, response, context) -> {
                    Response answer = context.next(request, response);
                    update(answer);
                    return answer;
                });
    }

    private synchronized void update(Response answer) {
        for (String header : answer.headers().getValues("Set-Cookie")) {
            String[] parts = header.split(";");
            int eq = parts[0].indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = parts[0].substring(0, eq).strip();
            String value = parts[0].substring(eq + 1).strip();
            boolean removal = value.isEmpty();
            for (int i = 1; i < parts.length; i++) {
                removal |= parts[i].strip().toLowerCase(java.util.Locale.ROOT).matches("max-age=(0|-\\d+)");
            }
            if (removal) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** The CSRF token of the forms on {@code page}. */
    public String csrf(String page) {
        Matcher matcher = CSRF.matcher(given().get(page).then().statusCode(200).extract().asString());
        if (!matcher.find()) {
            throw new IllegalStateException(page + " has no CSRF token");
        }
        return matcher.group(1);
    }

    /**
     * Signs out as the page's "Sign out" button does: POST /logout with the session's CSRF token (taken from
     * {@code page}); returns the answer, a 303 to the provider's end-session endpoint when it worked.
     */
    public Response signOut(String page) {
        return given().formParam("csrf", csrf(page)).post("/logout");
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> result = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            result.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return result;
    }
}
