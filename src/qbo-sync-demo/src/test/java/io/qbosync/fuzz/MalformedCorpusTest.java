package io.qbosync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.source.SourceItem;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.SourceRecordValidator;
import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.MalformedRecord;
import io.qbosync.source.sample.MalformedRecord.Problem;
import io.qbosync.source.sample.SampleDataGenerator;
import io.qbosync.source.sample.SampleDataSet;

/**
 * The corpus against the real validator, record by record, without the app: every record reads as one JSON value,
 * gets exactly the message it says it expects, and is filed under a key the sync store can hold.
 */
class MalformedCorpusTest {

    static List<MalformedRecord> corpus;
    static final SourceRecordValidator VALIDATOR = new SourceRecordValidator();

    @BeforeAll
    static void build() {
        corpus = new MalformedCorpus(42, 1000).records();
    }

    @Test
    void aThousandRecordsOfEveryKindAndEveryProblem() {
        assertThat(corpus).hasSize(1000);
        assertThat(corpus.stream().map(MalformedRecord::kind).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(SourceKind.values());
        assertThat(corpus.stream().map(MalformedRecord::problem).collect(Collectors.toCollection(() -> EnumSet.noneOf(Problem.class))))
                .containsExactlyInAnyOrder(Problem.values());
        assertThat(corpus.stream().map(MalformedRecord::template).distinct().count()).isEqualTo(MalformedCorpus.templateCount());
        assertThat(corpus.stream().filter(r -> r.json().length > 1024 * 1024).count()).as("records over 1 MB").isGreaterThanOrEqualTo(4);
        for (SourceKind kind : SourceKind.values()) {
            assertThat(corpus.stream().filter(r -> r.kind() == kind).count()).as(kind.plural()).isGreaterThan(150);
        }
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherValues() {
        List<MalformedRecord> again = new MalformedCorpus(42, 1000).records();
        List<MalformedRecord> other = new MalformedCorpus(7, 1000).records();
        int differing = 0;
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(again.get(i).json()).as("record %s", i).isEqualTo(corpus.get(i).json());
            assertThat(again.get(i).expectedFragments()).isEqualTo(corpus.get(i).expectedFragments());
            assertThat(again.get(i).feedTime()).isEqualTo(corpus.get(i).feedTime());
            if (!Arrays.equals(other.get(i).json(), corpus.get(i).json())) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(500);
        // A smaller corpus is a prefix in content: the same templates in the same order.
        List<MalformedRecord> small = new MalformedCorpus(42, 50).records();
        assertThat(small.stream().map(MalformedRecord::template).toList())
                .isEqualTo(corpus.subList(0, 50).stream().map(MalformedRecord::template).toList());
    }

    @Test
    void everyRecordGetsExactlyTheMessageItExpects() {
        List<String> wrong = new ArrayList<>();
        for (MalformedRecord r : corpus) {
            SourceItem item = VALIDATOR.validate(r.kind(), parseLikeTheSourceClient(r.json()));
            if (!item.sourceId().equals(r.sourceId())) {
                wrong.add(r + ": filed under " + item.sourceId());
            }
            if (MalformedCorpus.SOURCE_INVALID.equals(r.expectedCode())) {
                // As stored: all messages joined, cut to the column's 1000 characters.
                String stored = String.join("; ", item.errors());
                stored = stored.length() <= 1000 ? stored : stored.substring(0, 999) + "…";
                if (!r.isSpecific("FAILED", MalformedCorpus.SOURCE_INVALID, stored)) {
                    wrong.add(r + ": validator said " + cut(item.errors().toString()));
                }
            } else if (!item.valid()) {
                wrong.add(r + ": should pass validation (its fault is a reference), got " + cut(item.errors().toString()));
            }
        }
        assertThat(wrong).as("records whose expectation the validator does not meet").isEmpty();
    }

    @Test
    void eachExpectationNamesTheRecordAndTheField() {
        for (MalformedRecord r : corpus) {
            String all = String.join(" | ", r.expectedFragments());
            if (!"(record)".equals(r.field()) && r.problem() != Problem.UNKNOWN_REFERENCE) {
                assertThat(all).as("%s names its field", r).contains(r.field());
            }
            boolean namesRecord = r.expectedFragments().stream().allMatch(f -> f.startsWith(r.kind().wire() + " ")
                    || f.startsWith("Invoice ") || f.startsWith("Payment "));
            assertThat(namesRecord).as("%s starts with the record's name", r).isTrue();
        }
    }

    @Test
    void keysAreUniqueExceptTheDeliberateDuplicatesAndFitTheStore() {
        Map<String, List<MalformedRecord>> byKey = corpus.stream()
                .collect(Collectors.groupingBy(r -> r.storeEntityType() + ":" + r.storeSourceId()));
        for (List<MalformedRecord> same : byKey.values()) {
            if (same.size() > 1) {
                assertThat(same).as("records sharing a key").allMatch(r -> r.problem() == Problem.DUPLICATE_ID);
                assertThat(same.stream().map(MalformedRecord::expectedFragments).distinct()).hasSize(1);
                assertThat(same.stream().map(r -> Arrays.hashCode(r.json())).distinct()).as("duplicates differ in content").hasSize(same.size());
            }
        }
        assertThat(corpus.stream().filter(r -> r.problem() == Problem.DUPLICATE_ID).count())
                .isGreaterThan(byKey.values().stream().filter(l -> l.get(0).problem() == Problem.DUPLICATE_ID).count());
        // sync_record.source_id is VARCHAR(160)
        assertThat(corpus).allMatch(r -> r.storeSourceId().length() <= 160, "key fits 160 characters");
        assertThat(corpus.stream().filter(r -> r.sourceId().startsWith("invalid-id-")).count()).isGreaterThan(10);
        assertThat(corpus.stream().filter(r -> r.sourceId().startsWith("missing-id-")).count()).isGreaterThan(10);
    }

    @Test
    void noRecordTouchesTheSampleData() {
        for (int size : new int[] {0, 10_000}) {
            SampleDataSet data = new SampleDataGenerator(42, size).generate();
            Set<String> ids = new HashSet<>();
            data.contacts().forEach(c -> ids.add(c.id()));
            data.companies().forEach(c -> ids.add(c.id()));
            data.invoices().forEach(i -> ids.add(i.id()));
            data.payments().forEach(p -> ids.add(p.id()));
            assertThat(corpus).noneMatch(r -> ids.contains(r.sourceId()));
        }
        // Valid-looking references point at ids nobody has.
        assertThat(corpus.stream().filter(r -> r.problem() == Problem.UNKNOWN_REFERENCE))
                .allMatch(r -> r.expectedFragments().get(0).contains("-GHOST-"));
    }

    @Test
    void feedTimesSpreadOverTheSampleTimeline() {
        assertThat(corpus).allMatch(r -> !r.feedTime().isBefore(MalformedCorpus.FEED_FROM) && r.feedTime().isBefore(MalformedCorpus.FEED_TO));
        assertThat(corpus.get(999).feedTime()).isAfter(corpus.get(0).feedTime().plusSeconds(200L * 24 * 3600));
    }

    /** The way {@code SourceClient} reads a page: malformed UTF-8 becomes U+FFFD, then a JSON tree. */
    static JsonNode parseLikeTheSourceClient(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
            JsonNode node = SourceJson.mapper().readTree(text);
            assertThat(node).isNotNull();
            assertThat(node.isMissingNode()).isFalse();
            return node;
        } catch (Exception e) {
            throw new AssertionError("not one JSON value: " + cut(new String(bytes, StandardCharsets.UTF_8)), e);
        }
    }

    private static String cut(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
