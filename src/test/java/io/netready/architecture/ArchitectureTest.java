package io.netready.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The shape of the code, checked on every build: no two packages depend on each other (directly or round a loop), and
 * dependencies run one way, from the pages and resources down to the report format:
 *
 * <pre>
 * web (pages, resources)  →  services (by feature)  →  readiness  →  rules  →  facts (and its firewall)  →  report format
 *                                    everything may use the base: api, config, crypto, events, jdbc, logging, net
 * </pre>
 */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.netready");

    static final String[] WEB = { "io.netready.web..", "io.netready.*.web.." };
    static final String[] SERVICES = { "io.netready.audit", "io.netready.cluster", "io.netready.diff", "io.netready.node",
            "io.netready.plan", "io.netready.report", "io.netready.retention", "io.netready.security", "io.netready.session",
            "io.netready.token",
            "io.netready.upload", "io.netready.waiver" };
    static final String[] RULES = { "io.netready.rules", "io.netready.rules.node", "io.netready.rules.cluster",
            "io.netready.rules.catalog" };
    static final String[] BASE = { "io.netready.api", "io.netready.config", "io.netready.crypto", "io.netready.events",
            "io.netready.jdbc", "io.netready.logging", "io.netready.net" };

    /** Every package on its own: a cycle between two features, or a feature and its web package, fails too. */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.netready.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void dependenciesRunOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Web").definedBy(WEB)
            .layer("Services").definedBy(SERVICES)
            .layer("Readiness").definedBy("io.netready.readiness")
            .layer("Rules").definedBy(RULES)
            .layer("Facts").definedBy("io.netready.facts", "io.netready.facts.firewall")
            .layer("Report format").definedBy("io.netready.reportformat")
            .layer("Base").definedBy(BASE)
            .whereLayer("Web").mayNotBeAccessedByAnyLayer()
            .whereLayer("Services").mayOnlyBeAccessedByLayers("Web")
            .whereLayer("Readiness").mayOnlyBeAccessedByLayers("Services", "Web")
            .whereLayer("Rules").mayOnlyBeAccessedByLayers("Readiness", "Services", "Web")
            .whereLayer("Facts").mayOnlyBeAccessedByLayers("Rules", "Readiness", "Services", "Web")
            .whereLayer("Report format").mayOnlyBeAccessedByLayers("Facts", "Rules", "Readiness", "Services", "Web")
            .ensureAllClassesAreContainedInArchitecture()
            .check(CLASSES);
    }

    /** The base is what everything stands on: it uses nothing of netready above it. */
    @Test
    void baseStandsAlone() {
        noClasses().that().resideInAnyPackage(BASE).should().dependOnClassesThat(
                resideInAnyPackage("io.netready..").and(not(resideInAnyPackage(BASE)))).check(CLASSES);
    }

    /** The v1 report format is read the same by the portal and by tools: it knows nothing of netready but api. */
    @Test
    void reportFormatStandsAlone() {
        noClasses().that().resideInAPackage("io.netready.reportformat").should().dependOnClassesThat(
                resideInAnyPackage("io.netready..").and(not(resideInAnyPackage("io.netready.reportformat", "io.netready.api"))))
                .check(CLASSES);
    }
}
