package io.qbosync.matching;

import io.qbosync.source.feed.NameKeys;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.qbosync.store.QboIndexRepository.IndexedCustomer;
import io.qbosync.store.QboIndexRepository.Suggestion;

/** The order of the suggestions kept for a record held with DUPLICATE_MATCH. */
class CustomerMatcherRankTest {

    private static final String EMAIL = "jane@smith.example.org";
    private static final String NAME = "Jane Smith";

    private static IndexedCustomer customer(String id, String displayName, String companyName, String email) {
        return new IndexedCustomer("r1", id, displayName, companyName, email, companyName == null, null, "0");
    }

    private static List<Suggestion> rank(IndexedCustomer... candidates) {
        return CustomerMatcher.rank(List.of(candidates), EMAIL, NAME, NameKeys.name(NAME));
    }

    @Test
    void emailOutranksNameWhichOutranksNormalisedName() {
        List<Suggestion> ranked = rank(
                customer("5", "Smith, Jane", null, null),                   // nothing in common: 0
                customer("6", "jane smith llc", null, null),                // normalised name: 40
                customer("7", "J. Smith", null, "JANE@smith.example.org"),  // e-mail: 100
                customer("8", "JANE SMITH", null, null));                   // same name: 60
        assertThat(ranked).extracting(Suggestion::qboId).containsExactly("7", "8", "6");
        assertThat(ranked).extracting(Suggestion::score).containsExactly(100, 60, 40);
        assertThat(ranked).extracting(Suggestion::rank).containsExactly(1, 2, 3);
        assertThat(ranked.get(0).reason()).isEqualTo("same e-mail JANE@smith.example.org");
        assertThat(ranked.get(1).reason()).isEqualTo("same name");
        assertThat(ranked.get(2).reason()).contains("jane smith llc").contains("once normalised");
        assertThat(ranked.get(0).displayName()).isEqualTo("J. Smith");
        assertThat(ranked.get(0).email()).isEqualTo("JANE@smith.example.org");
    }

    @Test
    void companyNameCountsLeast() {
        List<Suggestion> ranked = rank(
                customer("1", "Smith Household", "Jane Smith LLC", null),   // company name: 20
                customer("2", "Jane Smith Inc", null, null));               // normalised name: 40
        assertThat(ranked).extracting(Suggestion::qboId).containsExactly("2", "1");
        assertThat(ranked).extracting(Suggestion::score).containsExactly(40, 20);
        assertThat(ranked.get(1).reason()).isEqualTo("company name 'Jane Smith LLC'");
    }

    @Test
    void reasonsAddUp() {
        List<Suggestion> ranked = rank(
                customer("3", "Jane Smith", "Jane Smith Ltd", EMAIL),
                customer("4", "J. Smith", null, EMAIL));
        assertThat(ranked).extracting(Suggestion::score).containsExactly(180, 100);
        assertThat(ranked.get(0).reason()).isEqualTo("same e-mail " + EMAIL + "; same name; company name 'Jane Smith Ltd'");
    }

    @Test
    void tiesGoToTheOldestQboIdComparedAsNumbers() {
        List<Suggestion> ranked = rank(
                customer("10", "J. Smith 10", null, EMAIL),
                customer("9", "J. Smith 9", null, EMAIL),
                customer("100", "J. Smith 100", null, EMAIL),
                customer("11", "J. Smith 11", null, EMAIL));
        assertThat(ranked).extracting(Suggestion::qboId).containsExactly("9", "10", "11");
    }

    @Test
    void atMostThreeSuggestions() {
        assertThat(CustomerMatcher.MAX_SUGGESTIONS).isEqualTo(3);
        List<Suggestion> ranked = rank(
                customer("1", "A", null, null), customer("2", "B", null, null), customer("3", "C", null, null),
                customer("4", "D", null, EMAIL), customer("5", "E", null, null));
        assertThat(ranked).hasSize(3);
        assertThat(ranked).extracting(Suggestion::qboId).containsExactly("4", "1", "2");
        assertThat(ranked.get(1).reason()).isEqualTo("candidate");
        assertThat(ranked.get(1).score()).isZero();
    }

    @Test
    void fewCandidatesAreAllSuggestedAndTheSameDataRanksTheSame() {
        IndexedCustomer a = customer("21", "Jane Smith", null, null);
        IndexedCustomer b = customer("20", "J. Smith", null, EMAIL);
        assertThat(rank(a, b)).hasSize(2).isEqualTo(rank(b, a));
        assertThat(rank()).isEmpty();
    }

    @Test
    void aPartyWithoutEmailNeverMatchesOnEmail() {
        List<Suggestion> ranked = CustomerMatcher.rank(List.of(customer("1", "Jane Smith", null, null)), "", NAME,
                NameKeys.name(NAME));
        assertThat(ranked.get(0).score()).isEqualTo(60);
        assertThat(ranked.get(0).reason()).isEqualTo("same name");
    }
}
