package io.netready.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The production check on its own: what counts as set, too short, a placeholder; the message it makes. */
class ProductionSettingsTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("NETREADY_PUBLIC_URL", "https://netready.example.com");
        env.put("NETREADY_SESSION_SECRET", "k9PzQ2vR7xLmW4tYc8bN1sD6fH3jA5gE0uIoKq==");
        env.put("NETREADY_OIDC_CLIENT_SECRET", "8fQk2LzR7vNw4XbT1mJc");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "pG7wQz2Lr9Vx4Nk1Tb6M");
        return env;
    }

    @Test
    void everythingSetAndRandomPasses() {
        assertEquals(Optional.empty(), ProductionSettings.check(complete()::get));
    }

    @Test
    void theMessageNamesEveryMissingVariableOnOneLine() {
        String message = ProductionSettings.check(name -> null).orElseThrow();
        for (ProductionSettings.Required required : ProductionSettings.REQUIRED) {
            assertTrue(message.contains(required.variable() + " is not set"), message);
        }
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void aPropertySetDirectlyCountsButTheExpressionOfApplicationPropertiesDoesNot() {
        Map<String, String> env = complete();
        String secret = env.remove("NETREADY_SESSION_SECRET");
        env.put("quarkus.oidc.token-state-manager.encryption-secret", secret);
        assertEquals(Optional.empty(), ProductionSettings.check(env::get));
        env.put("quarkus.oidc.token-state-manager.encryption-secret", "${NETREADY_SESSION_SECRET}");
        assertTrue(ProductionSettings.check(env::get).orElseThrow().contains("NETREADY_SESSION_SECRET is not set"));
    }

    @Test
    void placeholdersShortAndRepetitiveSecretsAreRefusedWithoutPrintingThem() {
        Map<String, String> env = complete();
        env.put("NETREADY_SESSION_SECRET", "change-me-this-secret-encrypts-sessions-in-dev-only");
        env.put("NETREADY_OIDC_CLIENT_SECRET", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "changeit");
        String message = ProductionSettings.check(env::get).orElseThrow();
        assertTrue(message.contains("NETREADY_SESSION_SECRET is a known placeholder"), message);
        assertTrue(message.contains("NETREADY_OIDC_CLIENT_SECRET is not random"), message);
        assertTrue(message.contains("QUARKUS_DATASOURCE_PASSWORD is a known placeholder"), message);
        assertFalse(message.contains("NETREADY_PUBLIC_URL"), message);
        for (String name : env.keySet()) {
            if (!name.equals("NETREADY_PUBLIC_URL")) {
                assertFalse(message.contains(env.get(name)), "no secret's value: " + message);
            }
        }
        env.put("QUARKUS_DATASOURCE_PASSWORD", "Tz8qLw2Rv");
        assertTrue(ProductionSettings.check(env::get).orElseThrow()
                .contains("QUARKUS_DATASOURCE_PASSWORD is too short (9 characters, needs 16+)"));
    }
}
