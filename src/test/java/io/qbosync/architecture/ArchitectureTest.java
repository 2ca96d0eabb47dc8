package io.qbosync.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The direction of dependencies between qbo-sync's parts, checked on the compiled production classes. The
 * {@code qbo:} component must stay a Camel component anyone can use: Camel, Jackson, a logging API and the JDK,
 * nothing of this app, no Spring, no JDBC.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.qbosync");

    @Test
    void theQboComponentUsesOnlyCamelJacksonLoggingAndTheJdk() {
        ArchRule rule = classes().that().resideInAPackage("io.qbosync.component..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.qbosync.component..", "java..", "javax.crypto..", "javax.net..", "javax.xml..",
                        "org.w3c.dom..", "org.xml.sax..", "org.apache.camel..", "com.fasterxml.jackson..", "org.slf4j..")
                .because("the qbo: component must work without this app, Spring or a database (issue 9)");
        rule.check(PRODUCTION);
    }

    @Test
    void theSyncStoreDoesNotReachIntoTheRoutesBeans() {
        classes().that().resideInAPackage("io.qbosync.store..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("io.qbosync.sync..", "io.qbosync.faults..",
                        "io.qbosync.ops..", "io.qbosync.matching..", "io.qbosync.mapping..", "io.qbosync.sandbox..",
                        "io.qbosync.source.sample..")
                .because("the store is the bottom layer of the app: the beans routes call build on it, not the reverse")
                .check(PRODUCTION);
    }
}
