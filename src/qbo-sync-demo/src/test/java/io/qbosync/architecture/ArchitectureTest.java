package io.qbosync.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.qbosync.component.qbo.client.QboClient;

/**
 * The direction of dependencies between qbo-sync's parts, checked on the compiled production classes of every module
 * (this module's test class path holds them all). Maven already stops a module from importing one it does not depend
 * on; these rules also hold the packages inside a module, and say why.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.qbosync");

    @Test
    void theQboComponentUsesOnlyCamelJacksonLoggingAndTheJdk() {
        ArchRule rule = classes().that().resideInAPackage("io.qbosync.component..")
                .and().resideOutsideOfPackage("io.qbosync.component.qbo.springboot..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.qbosync.component..", "java..", "javax.crypto..", "javax.net..", "javax.xml..",
                        "org.w3c.dom..", "org.xml.sax..", "org.apache.camel..", "com.fasterxml.jackson..", "org.slf4j..")
                .because("the qbo: component must work without this app, Spring or a database (issue 9)");
        rule.check(PRODUCTION);
    }

    /** camel-qbo-starter (package springboot, its own module) is the only place where the component meets Spring. */
    @Test
    void theStarterAddsOnlySpringBootToTheComponent() {
        classes().that().resideInAPackage("io.qbosync.component.qbo.springboot..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.qbosync.component..", "java..",
                        "org.apache.camel..", "org.springframework..")
                .because("the starter only binds camel.component.qbo.* onto the component; the app's wiring stays in"
                        + " io.qbosync.config")
                .check(PRODUCTION);
    }

    @Test
    void theSandboxStandsAlone() {
        noClasses().that().resideInAPackage("io.qbosync.sandbox..")
                .should().dependOnClassesThat(resideInAPackage("io.qbosync..").and(resideOutsideOfPackage("io.qbosync.sandbox..")))
                .because("the sandbox stands in for QBO, a remote system: nothing of qbo-sync may leak into it")
                .check(PRODUCTION);
    }

    @Test
    void theSampleSourceKnowsOnlyTheFeedsContract() {
        noClasses().that().resideInAPackage("io.qbosync.source.sample..")
                .should().dependOnClassesThat(resideInAPackage("io.qbosync..")
                        .and(resideOutsideOfPackages("io.qbosync.source.sample..", "io.qbosync.source.feed..")))
                .because("the sample stands in for a source system: it speaks the feed (source.feed), nothing more")
                .check(PRODUCTION);
        classes().that().resideInAPackage("io.qbosync.source.feed..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.qbosync.source.feed..", "java..",
                        "com.fasterxml.jackson..")
                .because("the feed's contract is shared by both ends and depends on neither")
                .check(PRODUCTION);
    }

    @Test
    void theProductImportsNoEmulatorSampleOrDemo() {
        noClasses().that().resideInAPackage("io.qbosync..")
                .and().resideOutsideOfPackages("io.qbosync.sandbox..", "io.qbosync.source.sample..", "io.qbosync.demo..")
                .should().dependOnClassesThat().resideInAnyPackage("io.qbosync.sandbox..", "io.qbosync.source.sample..",
                        "io.qbosync.demo..")
                .because("the production artifact holds no emulator, sample or demo class; the demo plugs into the"
                        + " app's own interfaces (BundledSandbox, SandboxCompanySeed, BundledSource)")
                .check(PRODUCTION);
    }

    /**
     * Every QBO call the app makes goes through {@code qbo:}: the routes' own, and the beans' through
     * {@code qboGateway} (routes/qbo-calls.camel.yaml). Only the wiring builds the client.
     */
    @Test
    void theAppCallsQboOnlyThroughTheComponent() {
        noClasses().that().resideInAPackage("io.qbosync..")
                .and().resideOutsideOfPackages("io.qbosync.component..", "io.qbosync.config..", "io.qbosync.demo..",
                        "io.qbosync.sandbox..")
                .should().dependOnClassesThat().areAssignableTo(QboClient.class)
                .because("a call around qbo: escapes Hawtio's route statistics; beans call QBO through qboGateway")
                .check(PRODUCTION);
    }

    @Test
    void theStoreDoesNotReachIntoTheRoutesBeans() {
        classes().that().resideInAPackage("io.qbosync.store..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("io.qbosync.sync..", "io.qbosync.faults..",
                        "io.qbosync.ops..", "io.qbosync.matching..", "io.qbosync.mapping..", "io.qbosync.registration..",
                        "io.qbosync.sandbox..", "io.qbosync.source.sample..")
                .because("the store is the bottom layer of the app: the beans routes call build on it, not the reverse")
                .check(PRODUCTION);
    }

    /**
     * Between the top-level parts ({@code io.qbosync.<part>..}) dependencies point one way. Inside the component,
     * {@code component.qbo} and its {@code client} are one part: the client throws the component's exception types.
     */
    @Test
    void noCyclesBetweenParts() {
        slices().matching("io.qbosync.(*)..").should().beFreeOfCycles()
                .because("each part builds on the ones below it; a cycle means two parts are one")
                .check(PRODUCTION);
    }
}
