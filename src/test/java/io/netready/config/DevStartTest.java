package io.netready.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.netready.logging.LogLineFilter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * What a start logs as a problem must be one (issue 16): the dev start used to print Testcontainers' ERROR "Could not
 * find a valid Docker environment", a WARN about {@code quarkus.datasource.reactive.url} and Agroal's WARN that it
 * cannot tell whether a connection survived an exception. The last was a real problem, in tests too: the embedded
 * PostgreSQL extension's second connection configurer made Agroal find none, so the pool had no exception sorter.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class DevStartTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void thePoolDropsConnectionsThatPostgresqlBroke() {
        assertTrue(dataSource.getConfiguration().connectionPoolConfiguration().exceptionSorter() instanceof PostgreSQLExceptionSorter,
                "PostgreSQL's exception sorter, not Agroal's default: "
                        + dataSource.getConfiguration().connectionPoolConfiguration().exceptionSorter());
    }

    @Test
    void devModeStartsNoContainerAndSilencesOnlyTestcontainersProbe() throws IOException {
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            config.load(reader);
        }
        assertEquals("false", config.getProperty("quarkus.datasource.devservices.enabled"));
        assertEquals("false", config.getProperty("quarkus.keycloak.devservices.enabled"));
        assertEquals("true", config.getProperty("%dev.quarkus.oidc.devservices.enabled"), "the container-less provider stays");
        assertEquals("OFF", config.getProperty("%dev.quarkus.log.category.\"org.testcontainers\".level"));
        assertFalse(config.containsKey("quarkus.log.category.\"org.testcontainers\".level"), "dev mode only");
        assertEquals("io.quarkiverse.embedded.postgresql.EmbeddedPostgreSQLConnectionConfigurer",
                config.getProperty("quarkus.arc.exclude-types"));
    }

    @Test
    void theEmbeddedDatabasesReactiveUrlIsNoWarningOutsideProduction() {
        LogLineFilter filter = new LogLineFilter(false);
        String text = "Unrecognized configuration key \"quarkus.datasource.reactive.url\" was provided; it will be ignored;"
                + " verify that the dependency extension for this configuration is set or that you did not make a typo";
        assertFalse(filter.isLoggable(record("io.quarkus.config", text)), "tests run in test mode");
        assertTrue(filter.isLoggable(record("io.quarkus.config",
                text.replace("quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.ulr"))), "a real typo still warns");
        assertTrue(filter.isLoggable(record("io.netready.anything", text)), "only Quarkus' config warning");
    }

    private static ExtLogRecord record(String logger, String message) {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, message, ExtLogRecord.FormatStyle.NO_FORMAT, logger);
        record.setLoggerName(logger);
        return record;
    }
}
