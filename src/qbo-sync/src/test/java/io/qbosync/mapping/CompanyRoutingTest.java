package io.qbosync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.mapping.CompanyRouting.Route;

/** The companies: section of the mapping files: routing by a source field, prefixes, and what is refused. */
class CompanyRoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theShippedDemoRoutesEachSampleChapterToItsCompanyWithItsPrefix() {
        MappingResolver m = new MappingResolver("routes/mappings/qbo-mappings.yaml, routes/mappings/two-companies.yaml", "");
        CompanyRouting routing = m.companies();
        assertThat(routing.routeOf(invoice("North"))).contains(new Route("North", "association", "N-"));
        assertThat(routing.routeOf(invoice("South"))).contains(new Route("South", "association", "S-"));
        assertThat(routing.routeOf(invoice("Pacific"))).contains(new Route("Pacific", "pacific", ""));
        assertThat(routing.routeOf(invoice("Atlantis"))).contains(new Route("otherwise", "association", "HQ-"));
        assertThat(routing.routeOf(JSON.createObjectNode())).contains(new Route("otherwise", "association", "HQ-"));
        assertThat(routing.companies()).containsExactly("association", "pacific");
        // The item rules come from the first file: the files add up.
        assertThat(m.resolve("membership", "Gold Membership")).map(MappingRule::itemSku).contains("MEM-GOLD");
    }

    @Test
    void withoutTheSectionEverythingGoesToTheDefaultCompanyWithTheConfiguredPrefix() {
        CompanyRouting routing = new MappingResolver("routes/mappings/qbo-mappings.yaml", "GU/").companies();
        assertThat(routing.routeOf(invoice("North"))).contains(new Route("otherwise", "default", "GU/"));
        assertThat(routing.companies()).containsExactly("default");
    }

    @Test
    void anInvoiceNamingNoRouteHasNoneWhenThereIsNoOtherwise() throws IOException {
        CompanyRouting routing = load("""
                companies:
                  by: subsidiary
                  routes:
                    East: { company: east }
                """);
        assertThat(routing.routeOf(JSON.createObjectNode().put("subsidiary", " East "))).isPresent();
        assertThat(routing.routeOf(JSON.createObjectNode().put("subsidiary", "West"))).isEmpty();
        assertThat(routing.routeOf(JSON.createObjectNode())).isEmpty();
    }

    @Test
    void prefixesThatCouldGiveTwoInvoicesOneDocNumberInOneCompanyAreRefused() {
        // North's "W100" and North-West's "100" would both be N-W100.
        assertThatThrownBy(() -> load("""
                companies:
                  by: chapter
                  routes:
                    North: { company: main, docNumberPrefix: "N-" }
                    North-West: { company: main, docNumberPrefix: "N-W" }
                """)).hasMessageContaining("North ('N-') and North-West ('N-W') in company main")
                .hasMessageContaining("could collide");
        assertThatThrownBy(() -> load("""
                companies:
                  by: chapter
                  routes:
                    North: { company: main, docNumberPrefix: "X-" }
                    South: { company: main, docNumberPrefix: "X-" }
                """)).hasMessageContaining("North ('X-') and South ('X-') in company main");
        // No prefix is the start of every prefix.
        assertThatThrownBy(() -> load("""
                companies:
                  by: chapter
                  routes:
                    North: { company: main, docNumberPrefix: "N-" }
                  otherwise: { company: main }
                """)).hasMessageContaining("North ('N-') and otherwise ('') in company main");
    }

    @Test
    void equalPrefixesInDifferentCompaniesAreFine() throws IOException {
        CompanyRouting routing = load("""
                companies:
                  by: chapter
                  routes:
                    North: { company: one }
                    South: { company: two }
                """);
        assertThat(routing.companies()).containsExactly("one", "two");
    }

    @Test
    void aSectionTheNodeCannotWorkWithSaysWhatToChange() {
        assertThatThrownBy(() -> load("companies:\n  routes:\n    North: { company: main }\n"))
                .hasMessageContaining("companies.by must name the source invoice field");
        assertThatThrownBy(() -> load("companies:\n  by: chapter\n  routes:\n    North: { docNumberPrefix: N }\n"))
                .hasMessageContaining("companies.routes.North must name its company");
        assertThatThrownBy(() -> load("companies:\n  by: chapter\n  routes:\n    North: { company: a, prefix: N }\n"))
                .hasMessageContaining("unknown key prefix");
        assertThatThrownBy(() -> load("companies:\n  by: chapter\n  routes:\n    North: { company: a, docNumberPrefix: 7 }\n"))
                .hasMessageContaining("docNumberPrefix must be text");
        assertThatThrownBy(() -> load("companies:\n  by: chapter\n"))
                .hasMessageContaining("no routes and no otherwise");
    }

    @Test
    void twoFilesWithTheSameSectionAreRefused() throws IOException {
        Path a = Files.writeString(dir.resolve("a.yaml"), "default:\n  itemSku: A\n");
        Path b = Files.writeString(dir.resolve("b.yaml"), "default:\n  itemSku: B\n");
        assertThatThrownBy(() -> new MappingResolver(a + "," + b, ""))
                .hasMessageContaining("both have a default: section");
    }

    private CompanyRouting load(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("m" + System.nanoTime() + ".yaml"), yaml);
        return new MappingResolver(f.toString(), "").companies();
    }

    private static JsonNode invoice(String chapter) {
        return JSON.createObjectNode().put("id", "I-1").put("chapter", chapter);
    }
}
