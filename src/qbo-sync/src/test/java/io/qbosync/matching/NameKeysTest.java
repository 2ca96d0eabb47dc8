package io.qbosync.matching;

import io.qbosync.source.feed.NameKeys;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The normalised names and e-mails matching compares. */
class NameKeysTest {

    @Test
    void caseAndSurroundingSpaceDoNotCount() {
        assertThat(NameKeys.name("Harbourside Dental")).isEqualTo("harbourside dental");
        assertThat(NameKeys.name("  HARBOURSIDE   dental ")).isEqualTo("harbourside dental");
    }

    @Test
    void accentsAreDropped() {
        assertThat(NameKeys.name("Siobhán Ó Súilleabháin")).isEqualTo("siobhan o suilleabhain");
        assertThat(NameKeys.name("Müller Café")).isEqualTo(NameKeys.name("Muller Cafe"));
        // Decomposed (NFD) input gives the same key as precomposed.
        assertThat(NameKeys.name("Jose\u0301")).isEqualTo(NameKeys.name("Jos\u00e9")).isEqualTo("jose");
    }

    @Test
    void punctuationSeparatesWords() {
        assertThat(NameKeys.name("Smith-Jones, Dental (North)")).isEqualTo("smith jones dental north");
        assertThat(NameKeys.name("A.B. Builders")).isEqualTo("a b builders");
        assertThat(NameKeys.name("Harbourside Dental!")).isEqualTo("harbourside dental");
    }

    @Test
    void ampersandAndPlusAreAnd() {
        assertThat(NameKeys.name("Smith & Jones")).isEqualTo("smith and jones");
        assertThat(NameKeys.name("Smith&Jones")).isEqualTo("smith and jones");
        assertThat(NameKeys.name("Smith and Jones")).isEqualTo("smith and jones");
        assertThat(NameKeys.name("Smith + Jones")).isEqualTo("smith and jones");
    }

    @Test
    void legalSuffixesAreDropped() {
        String key = "harbourside dental group";
        assertThat(NameKeys.name("Harbourside Dental Group, LLC")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group L.L.C.")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group Ltd")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group Limited")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group, Inc.")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group Co.")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group GmbH")).isEqualTo(key);
        assertThat(NameKeys.name("Harbourside Dental Group Corp")).isEqualTo(key);
    }

    @Test
    void severalSuffixesGoButOnlyWholeTrailingWords() {
        assertThat(NameKeys.name("Acme Holdings Co. Ltd")).isEqualTo("acme holdings");
        assertThat(NameKeys.name("Acme Pty Ltd")).isEqualTo("acme");
        // "co" at the end of a word is no suffix; nor is a legal word in the middle or at the start.
        assertThat(NameKeys.name("Disco")).isEqualTo("disco");
        assertThat(NameKeys.name("Inc Design Studio")).isEqualTo("inc design studio");
        assertThat(NameKeys.name("Acme Co Design")).isEqualTo("acme co design");
        // A name that is only a legal word keeps it.
        assertThat(NameKeys.name("LLC")).isEqualTo("llc");
    }

    @Test
    void leadingTheIsDropped() {
        assertThat(NameKeys.name("The Harbourside Dental Group")).isEqualTo("harbourside dental group");
        assertThat(NameKeys.name("THE Harbourside Dental Group, LLC")).isEqualTo("harbourside dental group");
        assertThat(NameKeys.name("Theatre Guild")).isEqualTo("theatre guild");
        assertThat(NameKeys.name("The")).isEqualTo("the");
    }

    @Test
    void apostrophesJoin() {
        assertThat(NameKeys.name("Margaret O'Brien")).isEqualTo("margaret obrien");
        assertThat(NameKeys.name("Margaret O\u2019Brien")).isEqualTo("margaret obrien");
        assertThat(NameKeys.name("Margaret OBrien")).isEqualTo("margaret obrien");
        assertThat(NameKeys.name("O'Reilly & Daughters Catering")).isEqualTo("oreilly and daughters catering");
    }

    @Test
    void blankNamesHaveNoKey() {
        assertThat(NameKeys.name(null)).isNull();
        assertThat(NameKeys.name("")).isNull();
        assertThat(NameKeys.name("   ")).isNull();
        assertThat(NameKeys.name("!!! --- ")).isNull();
    }

    @Test
    void emailsCompareWithoutCaseOrSpaces() {
        assertThat(NameKeys.email(" Jane.Doe@Example.ORG ")).isEqualTo("jane.doe@example.org");
        assertThat(NameKeys.email(null)).isNull();
        assertThat(NameKeys.email("  ")).isNull();
        assertThat(NameKeys.sku(" AB-12x ")).isEqualTo("ab-12x");
    }
}
