package io.netready.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.LogCapture;
import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Good and bad traffic against the portal while every log record is captured, with the security categories at DEBUG
 * (as an operator chasing a login problem would set them): no record carries an upload token, a JWT, the client
 * secret, the session or CSRF secret, or a stack trace in its message; no client error (4xx) leaves a WARN or ERROR
 * with a stack trace; no answer shows an exception or a secret.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@TestProfile(LogHygieneTest.SecurityDebugLogs.class)
class LogHygieneTest {

    /** The categories that log authentication at DEBUG, and secrets distinct enough to be searched for. */
    public static class SecurityDebugLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.security\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.vertx.http.runtime.security\".level", "DEBUG",
                    "quarkus.log.category.\"io.netready\".level", "DEBUG",
                    "quarkus.oidc.credentials.secret", "client-secret-9d2f71c04be3a58e",
                    "quarkus.oidc.token-state-manager.encryption-secret", "session-secret-5be0a9c3d81f4e72b6a0c95d31e7f284");
        }
    }

    /** A JWS or JWE in compact form (tokens, the encrypted session cookie): base64url JSON header, then parts. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    /** An upload token as the portal issues them. */
    private static final Pattern UPLOAD_TOKEN = Pattern.compile("nrt_[A-Za-z0-9_-]{16,}");
    private static final Pattern INTERNALS = Pattern.compile("Exception|\\tat |\\bat (io|org|java|jakarta)\\.|java\\.lang\\.");

    @OidcWireMock
    WireMockServer provider;

    private LogCapture capture;

    @BeforeEach
    void captureLogs() {
        capture = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        capture.close();
    }

    @Test
    void noSecretNorStackTraceInAnyLogRecordOrAnswer() {
        List<String> secrets = new ArrayList<>();
        List<String> wrongAnswers = new ArrayList<>();
        String cluster = Portal.createCluster("platform");
        Map<String, Object> issued = given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", Portal.uniqueName("t"))).post("/api/v1/clusters/" + cluster + "/tokens")
                .then().statusCode(201).extract().jsonPath().getMap("");
        String token = (String) issued.get("secret");
        String revoked = Portal.issueToken(cluster);
        long revokedId = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/tokens").jsonPath()
                .getList("findAll { !it.revokedAt && it.id != " + ((Map<?, ?>) issued.get("token")).get("id") + " }.id",
                        Long.class)
                .get(0);
        given().auth().oauth2(Users.admin()).delete("/api/v1/clusters/" + cluster + "/tokens/" + revokedId)
                .then().statusCode(200);
        String wrong = "nrt_" + UUID.randomUUID().toString().replace("-", "") + "wrongwrong";
        String admin = Users.admin();
        String tampered = admin.substring(0, admin.length() - 6) + (admin.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
        String garbage = "not-a-jwt-" + UUID.randomUUID();
        secrets.addAll(List.of(token, revoked, wrong, admin, tampered, garbage));
        secrets.add(config("quarkus.oidc.credentials.secret"));
        secrets.add(config("quarkus.oidc.token-state-manager.encryption-secret"));
        secrets.add(config("netready.bootstrap.token"));

        String report = sample("ip-forward/pass-ipv4-forwarding-on.txt");
        byte[] gzipped = gzip(report);
        Map<String, Response> answers = new LinkedHashMap<>();

        // Uploads: good, with wrong and revoked tokens, with a user's JWT, and hostile bodies with a good token.
        answers.put("upload", upload(token, report.getBytes(StandardCharsets.UTF_8), null).then().statusCode(201)
                .extract().response());
        answers.put("upload gzip", upload(token, gzip(sample("ip-forward/fail-ipv4-forwarding-off.txt")), "gzip")
                .then().statusCode(201).extract().response());
        answers.put("upload again", upload(token, gzipped, "gzip"));
        answers.put("upload with a wrong token", upload(wrong, gzipped, "gzip"));
        answers.put("upload with a revoked token", upload(revoked, gzipped, "gzip"));
        answers.put("upload with a JWT", upload(admin, gzipped, "gzip"));
        answers.put("upload with a token in Basic", given().header("Authorization", "Basic " + token)
                .contentType(ContentType.JSON).body(report).post("/api/v1/reports"));
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        answers.put("upload gzip garbage", upload(token, noise, "gzip"));
        byte[] cut = java.util.Arrays.copyOf(gzipped, gzipped.length / 2);
        answers.put("upload truncated gzip", upload(token, cut, "gzip"));
        answers.put("upload gzip magic, then garbage", upload(token, withGzipMagic(noise), "gzip"));
        answers.put("upload invalid JSON", upload(token, report.substring(0, report.length() / 2)
                .getBytes(StandardCharsets.UTF_8), null));
        answers.put("upload JSON that is no report", upload(token, "{\"format\":\"netready.report/v9\"}"
                .getBytes(StandardCharsets.UTF_8), null));
        answers.put("upload as text", given().header("Authorization", "Bearer " + token).contentType(ContentType.TEXT)
                .body(report).post("/api/v1/reports"));

        // The API with bad bearer tokens: garbage, a JWT whose signature was changed, an upload token.
        answers.put("API with garbage bearer", given().auth().oauth2(garbage).get("/api/v1/clusters"));
        answers.put("API with tampered JWT", given().auth().oauth2(tampered).get("/api/v1/clusters"));
        answers.put("API with an upload token", given().auth().oauth2(token).get("/api/v1/clusters"));
        answers.put("API without a token", given().get("/api/v1/clusters"));
        answers.put("API 404", given().auth().oauth2(admin).get("/api/v1/no-such-thing"));
        answers.put("API report 404", given().auth().oauth2(admin).get("/api/v1/reports/999999999"));
        answers.put("API invalid JSON", given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"team\": ").post("/api/v1/clusters"));
        answers.put("API wrong type", given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": [1, 2], \"team\": {}}").post("/api/v1/clusters"));
        answers.put("API 405", given().auth().oauth2(admin).delete("/api/v1/rules"));

        // Pages: anonymous, a real login, a 404, a form without its CSRF token, a forged login callback, logout.
        answers.put("page as anonymous", given().redirects().follow(false).get("/clusters"));
        answers.put("home as anonymous", given().redirects().follow(false).get("/"));
        BrowserSession session = BrowserSession.login(provider, "lena", "admin", "team-platform");
        session.cookies().forEach((name, value) -> {
            if (!value.isEmpty()) {
                secrets.add(value);
            }
        });
        answers.put("page", session.given().get("/clusters/" + cluster).then().statusCode(200).extract().response());
        answers.put("page 404", session.given().get("/no-such-page"));
        answers.put("report 404", session.given().get("/reports/999999999"));
        answers.put("report not a number", session.given().get("/reports/abc"));
        answers.put("form without CSRF", session.given().formParam("name", Portal.uniqueName("x"))
                .formParam("team", "platform").post("/clusters"));
        answers.put("forged callback", given().redirects().follow(false).urlEncodingEnabled(false)
                .get("/clusters?state=" + UUID.randomUUID() + "&code=forged-" + UUID.randomUUID()));
        answers.put("logout page", session.given().get("/logout"));
        answers.put("logout", session.signOut("/clusters"));

        // Something the portal logs at INFO on purpose, so the capture is known to see io.netready's records.
        given().auth().oauth2(admin).post("/api/v1/clusters/" + cluster + "/reevaluate").then().statusCode(200);

        answers.forEach((what, response) -> {
            String body = response.asString();
            if (INTERNALS.matcher(body).find()) {
                wrongAnswers.add(what + " (" + response.statusCode() + ") shows internals: " + shorten(body));
            }
            if (response.statusCode() >= 500) {
                wrongAnswers.add(what + " answered " + response.statusCode());
            }
            for (String secret : secrets) {
                if (body.contains(secret) || response.headers().toString().contains(secret)) {
                    wrongAnswers.add(what + " (" + response.statusCode() + ") repeats a secret: " + shorten(secret));
                }
            }
        });
        assertTrue(wrongAnswers.isEmpty(), String.join("\n", wrongAnswers));

        List<LogRecord> seen = capture.records();
        assertTrue(seen.stream().anyMatch(r -> r.getLoggerName().startsWith("io.netready")
                && r.getLevel().intValue() == Level.INFO.intValue() && text(r).contains("Re-evaluated")),
                "the capture sees io.netready's INFO records; captured: " + summary(seen));
        assertTrue(seen.stream().anyMatch(r -> r.getLoggerName().startsWith("io.quarkus.oidc")
                && r.getLevel().intValue() <= Level.FINE.intValue()),
                "the capture sees the OIDC extension's DEBUG records; captured: " + summary(seen));

        List<Handler> printers = printers();
        assertTrue(printers.stream().anyMatch(h -> h.getFilter() != null),
                "the log handlers have the redacting filter: " + printers);
        List<String> leaks = new ArrayList<>();
        for (LogRecord record : seen) {
            String where = record.getLevel() + " [" + record.getLoggerName() + "] ";
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getThrown() != null) {
                leaks.add(where + "logs a stack trace for a client's error: " + shorten(LogCapture.message(record))
                        + " / " + record.getThrown());
            }
            for (Handler printer : printers) {
                String line = print(printer, record);
                if (line == null) {
                    continue;
                }
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        leaks.add(where + "prints a secret (" + shorten(secret) + "): " + shorten(line));
                    }
                }
                if (JWT.matcher(line).find()) {
                    leaks.add(where + "prints a JWT: " + shorten(line));
                }
                if (UPLOAD_TOKEN.matcher(line).find()) {
                    leaks.add(where + "prints an upload token: " + shorten(line));
                }
                if (LogCapture.message(record).contains("\tat ")) {
                    leaks.add(where + "has a stack trace in its message: " + shorten(line));
                }
            }
        }
        assertTrue(leaks.isEmpty(), leaks.size() + " log records leak:\n" + String.join("\n", leaks));
    }

    /** A log line with an upload token and a JWT in its message and its exception: printed on one line without either. */
    @Test
    void theHandlersPrintLinesWithoutTokens() {
        String token = "nrt_" + UUID.randomUUID().toString().replace("-", "");
        String jwt = Users.admin();
        org.jboss.logging.Logger.getLogger("io.netready.test").warnf(new IllegalStateException("rejected " + jwt),
                "upload with %s refused", token);
        LogRecord record = capture.records().stream().filter(r -> "io.netready.test".equals(r.getLoggerName())).findFirst()
                .orElseThrow(() -> new AssertionError("the capture saw nothing of a line logged here"));
        List<Handler> printers = printers();
        assertFalse(printers.isEmpty(), "found the handlers that print log lines");
        for (Handler printer : printers) {
            String line = print(printer, record);
            assertTrue(line.contains("upload with " + token.substring(0, 8) + "…[redacted] refused"), line);
            assertTrue(line.contains("[java.lang.IllegalStateException: rejected [JWT redacted]"), line);
            assertFalse(line.contains("\tat "), "one line, no stack trace: " + line);
            assertFalse(line.contains(token) || line.contains(jwt) || JWT.matcher(line).find(), line);
        }
    }

    /** The handlers that print log lines (the console's, and a file's or syslog's where configured). */
    private List<Handler> printers() {
        List<Handler> printers = new ArrayList<>();
        collect(Logger.getLogger("").getHandlers(), printers);
        return printers;
    }

    private void collect(Handler[] handlers, List<Handler> printers) {
        for (Handler handler : handlers) {
            if (handler == capture) {
                continue;
            }
            if (handler instanceof org.jboss.logmanager.ExtHandler ext && ext.getHandlers().length > 0) {
                collect(ext.getHandlers(), printers);
            } else if (handler.getFormatter() != null) {
                printers.add(handler);
            }
        }
    }

    /** The line {@code printer} writes for the record (null if it would not), through its own filter and format. */
    private static String print(Handler printer, LogRecord record) {
        if (!printer.isLoggable(record) || printer.getFilter() != null && !printer.getFilter().isLoggable(record)) {
            return null;
        }
        return printer.getFormatter().format(record);
    }

    /** The message as a log line shows it, its raw form and parameters, and the whole throwable chain. */
    static String text(LogRecord record) {
        StringBuilder text = new StringBuilder(LogCapture.message(record)).append('\n').append(record.getMessage());
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                text.append('\n').append(parameter);
            }
        }
        Set<Throwable> visited = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = record.getThrown(); t != null && visited.add(t); t = t.getCause()) {
            text.append('\n').append(t);
            for (Throwable suppressed : t.getSuppressed()) {
                text.append('\n').append(suppressed);
            }
        }
        return text.toString();
    }

    private static String summary(List<LogRecord> records) {
        StringBuilder summary = new StringBuilder().append(records.size()).append(" records");
        records.stream().limit(40).forEach(r -> summary.append("\n  ").append(r.getLevel()).append(" [")
                .append(r.getLoggerName()).append("] ").append(shorten(LogCapture.message(r))));
        return summary.toString();
    }

    private static String shorten(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static Response upload(String token, byte[] body, String encoding) {
        var request = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body);
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return request.post("/api/v1/reports");
    }

    /** A real probe report (from the rule samples) under a new report id. */
    private static String sample(String name) {
        try {
            ObjectNode tree = (ObjectNode) Probe.JSON.readTree(io.netready.support.RuleSampleFile.reportJson(Path.of("src/test/resources/rule-samples", name)));
            tree.put("reportId", UUID.randomUUID().toString());
            return tree.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] withGzipMagic(byte[] noise) {
        byte[] body = noise.clone();
        body[0] = 0x1f;
        body[1] = (byte) 0x8b;
        body[2] = 8;
        body[3] = 0;
        return body;
    }
}
