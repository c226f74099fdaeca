package io.netready.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;

/**
 * What a production start needs set, checked before anything else starts (the database, Flyway, the login provider):
 * a start that lacks any of them, or has one too short or known from the repository, stops with one line naming every
 * such variable, never with a secret's value. Dev mode and tests have their own profile values and are not checked.
 *
 * <p>A {@link ConfigSourceFactory} (registered in {@code META-INF/services}) runs while the runtime configuration is
 * built, so it comes before every extension's start; its {@link ConfigurationException} is what Quarkus prints as a
 * bare message and exits 1 for. It adds no configuration source.
 *
 * <p>{@link #REQUIRED} is the one list of what production requires: adjust it there.
 */
public final class ProductionSettings implements ConfigSourceFactory {

    /** How to make a secret: what the message and the README suggest. */
    static final String GENERATE = "openssl rand -base64 32";

    /** Everything a production start requires, by the variable that sets it. */
    public static final List<Required> REQUIRED = List.of(
            Required.address("NETREADY_PUBLIC_URL", "netready.public-url",
                    "the address nodes and browsers use to reach the portal, e.g. https://netready.example.com"),
            Required.secret("NETREADY_SESSION_SECRET", "quarkus.oidc.token-state-manager.encryption-secret",
                    "encrypts the login-state cookie of a sign-in under way (its PKCE verifier)", 32),
            Required.secret("NETREADY_OIDC_CLIENT_SECRET", "quarkus.oidc.credentials.secret",
                    "the portal's client secret at the OIDC provider", 16),
            Required.secret("QUARKUS_DATASOURCE_PASSWORD", "quarkus.datasource.password", "the PostgreSQL user's password",
                    16));

    /**
     * Secrets that are in this repository, its documentation or common defaults: whoever reads them could decrypt
     * sessions or forge forms. Compared in lower case; a value containing any of {@link #PLACEHOLDER_PARTS} counts too.
     */
    static final Set<String> PLACEHOLDERS = Set.of("netready", "password", "postgres", "secret", "admin", "changeit",
            "changeme", "0123456789abcdef0123456789abcdef");

    /** Words that mark a value as an example or a default, not a secret someone generated. */
    static final List<String> PLACEHOLDER_PARTS = List.of("change-me", "changeme", "change_me", "replace-me", "example",
            "placeholder", "dev-only", "compose-only", "test-only", "faults-only", "your-secret", "not-a-secret");

    /** One required setting: the variable, the property it feeds, what it is for, and its shortest accepted length. */
    public record Required(String variable, String property, String purpose, int minLength, boolean secret) {

        static Required secret(String variable, String property, String purpose, int minLength) {
            return new Required(variable, property, purpose, minLength, true);
        }

        static Required address(String variable, String property, String purpose) {
            return new Required(variable, property, purpose, 1, false);
        }

        /** What is wrong with the value, if anything: "not set", "too short (12 characters, needs 32+)", … */
        Optional<String> problem(String value) {
            if (value == null || value.isBlank()) {
                return Optional.of("not set");
            }
            if (!secret) {
                return Optional.empty();
            }
            String lower = value.strip().toLowerCase(Locale.ROOT);
            if (PLACEHOLDERS.contains(lower) || PLACEHOLDER_PARTS.stream().anyMatch(lower::contains)) {
                return Optional.of("a known placeholder, not a secret");
            }
            if (value.length() < minLength) {
                return Optional.of("too short (" + value.length() + " characters, needs " + minLength + "+)");
            }
            if (value.codePoints().distinct().count() < 8) {
                return Optional.of("not random (fewer than 8 different characters)");
            }
            return Optional.empty();
        }
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // The build (augmentation) reads the configuration too, without a runtime environment: only a real start counts.
        if (LaunchMode.current() == LaunchMode.NORMAL && ExecutionMode.current() == ExecutionMode.RUNTIME_INIT
                && context.getProfiles().contains("prod")) {
            check(name -> {
                ConfigValue value = context.getValue(name);
                return value == null ? null : value.getValue();
            }).ifPresent(message -> {
                throw new ConfigurationException(message);
            });
        }
        return List.of();
    }

    /**
     * The one-line refusal for the given settings (looked up by variable, then by property), or empty when production
     * may start.
     */
    public static Optional<String> check(Function<String, String> lookup) {
        List<String> problems = new ArrayList<>();
        for (Required required : REQUIRED) {
            String value = lookup.apply(required.variable());
            if (value == null || value.isBlank()) {
                String property = lookup.apply(required.property());
                // the property's own line in application.properties is an expression naming the variable: not a value
                value = property == null || property.contains("${") ? null : property;
            }
            required.problem(value).ifPresent(problem -> problems.add(required.variable() + " is " + problem + " ("
                    + required.purpose() + ")"));
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("netready refuses to start in production: " + String.join("; ", problems)
                + ". Set each as an environment variable; make a secret with: " + GENERATE);
    }
}
