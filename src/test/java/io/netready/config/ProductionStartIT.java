package io.netready.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged portal ({@code ./mvnw package}: target/quarkus-app/quarkus-run.jar, run in the integration-test phase)
 * started as production starts it, with an environment that lacks a secret or carries a bad one: it exits non-zero at
 * once with one line naming the variable, no stack trace, no secret's value; with every secret set it gets past that
 * check (then it may fail on a database it cannot reach: only the check is asserted).
 */
class ProductionStartIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @BeforeAll
    static void packaged() {
        assertTrue(Files.isRegularFile(JAR), "no " + JAR + ": run ./mvnw package (or verify) first");
    }

    @Test
    void aMissingSessionSecretStopsTheStartWithOneLineNamingIt() throws Exception {
        Map<String, String> env = complete();
        env.remove("NETREADY_SESSION_SECRET");
        Started run = start(env, 90);

        assertTrue(run.exited(), "the portal kept running without NETREADY_SESSION_SECRET:\n" + run.output());
        assertNotEquals(0, run.exitCode(), run.output());
        List<String> refusals = run.output().lines().filter(l -> l.contains("refuses to start")).toList();
        assertEquals(1, refusals.size(), run.output());
        String line = refusals.get(0);
        assertTrue(line.contains("NETREADY_SESSION_SECRET is not set"), line);
        for (String fine : List.of("NETREADY_OIDC_CLIENT_SECRET", "QUARKUS_DATASOURCE_PASSWORD",
                "NETREADY_PUBLIC_URL")) {
            assertFalse(line.contains(fine), "only the missing one is named: " + line);
        }
        assertTrue(line.contains("openssl rand"), "says how to make one: " + line);
        assertNoStackTraceOrSecret(run, env);
        assertFalse(run.output().contains("Flyway") || run.output().contains("postmaster"),
                "nothing started before the check: " + run.output());
    }

    @Test
    void everyMissingOrBadSecretIsNamedInTheSameLine() throws Exception {
        Map<String, String> env = complete();
        env.put("NETREADY_OIDC_CLIENT_SECRET", "netready-dev-secret-change-me");
        env.remove("QUARKUS_DATASOURCE_PASSWORD");
        env.remove("NETREADY_PUBLIC_URL");
        env.put("NETREADY_SESSION_SECRET", "Xq3v9Lm2");
        Started run = start(env, 90);

        assertTrue(run.exited(), run.output());
        assertNotEquals(0, run.exitCode(), run.output());
        String line = run.output().lines().filter(l -> l.contains("refuses to start")).findFirst().orElseThrow(
                () -> new AssertionError("no refusal line: " + run.output()));
        assertTrue(line.contains("NETREADY_OIDC_CLIENT_SECRET is a known placeholder"), line);
        assertTrue(line.contains("QUARKUS_DATASOURCE_PASSWORD is not set"), line);
        assertTrue(line.contains("NETREADY_PUBLIC_URL is not set"), line);
        assertTrue(line.contains("NETREADY_SESSION_SECRET is too short (8 characters, needs 32+)"), line);
        assertNoStackTraceOrSecret(run, env);
    }

    @Test
    void withEverySecretSetTheStartGetsPastTheCheck() throws Exception {
        Started run = start(complete(), 25);

        assertFalse(run.output().contains("refuses to start"), run.output());
        // past the check the portal goes on to its database (unreachable here) or is still starting
        assertTrue(!run.exited() || run.output().contains("Failed to start application"), run.output());
    }

    private static void assertNoStackTraceOrSecret(Started run, Map<String, String> env) {
        assertFalse(run.output().lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")),
                "no stack trace: " + run.output());
        for (String secret : List.of("NETREADY_SESSION_SECRET", "NETREADY_OIDC_CLIENT_SECRET",
                "QUARKUS_DATASOURCE_PASSWORD")) {
            String value = env.get(secret);
            if (value != null) {
                assertFalse(run.output().contains(value), "the value of " + secret + " is printed: " + run.output());
            }
        }
    }

    /** Everything production needs, secrets fresh and random; the database and provider unreachable on purpose. */
    private static Map<String, String> complete() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NETREADY_PUBLIC_URL", "http://127.0.0.1:9");
        env.put("NETREADY_SESSION_SECRET", random(32));
        env.put("NETREADY_OIDC_CLIENT_SECRET", random(24));
        env.put("QUARKUS_DATASOURCE_PASSWORD", random(24));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:9/none");
        env.put("NETREADY_OIDC_URL", "http://127.0.0.1:9/realms/none");
        return env;
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    record Started(boolean exited, int exitCode, String output) {
    }

    /** Runs the jar with only {@code env} (and PATH, HOME), for at most {@code seconds}; stops it if still running. */
    private static Started start(Map<String, String> env, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("netready-prod-start", ".log");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0", "-jar", JAR.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", System.getProperty("java.io.tmpdir"));
        environment.putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Started(exited, exited ? process.exitValue() : -1, output);
    }
}
