package io.qbosync.fuzz;

import io.qbosync.demo.PipelineRecordCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.qbosync.source.SourceBatch;
import io.qbosync.source.SourceClient;
import io.qbosync.source.SourceItem;
import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.MalformedRecord;
import io.qbosync.source.sample.SampleDataGenerator;
import io.qbosync.source.sample.SampleSourceAdmin;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.source.sample.SampleSourceSettings;

/**
 * {@code source.sample.malformed=N} over real HTTP, read through the real {@link SourceClient}: the feed serves the
 * standard data plus every corpus record (duplicates twice), mixed among the good ones, each bad one with its
 * expected message, the good ones untouched; and a restart serves the same feed.
 */
class MalformedFeedIT {

    @TempDir
    Path dir;

    @Test
    void theFeedServesEveryMalformedRecordAmongTheGoodOnes() {
        int size = 1000;
        List<MalformedRecord> corpus = new MalformedCorpus(42, size).records();
        SampleSourceSettings settings = SampleSourceSettings.forTest(dir.resolve("data")).withMalformed(size);
        List<String> firstRead;
        try (SampleSourceServer server = SampleSourceServer.start(settings, new PipelineRecordCheck())) {
            assertThat(new SampleSourceAdmin(server.baseUrl()).stats().get("malformed").asInt()).isEqualTo(size);

            List<List<SourceItem>> pages = readAll(new SourceClient(server.baseUrl()), 200);
            List<SourceItem> all = pages.stream().flatMap(List::stream).toList();
            assertThat(all).hasSize(SampleDataGenerator.STANDARD_TOTAL + size);

            // Each corpus record is served (a duplicate id once per record) with the message it expects.
            Map<String, List<SourceItem>> served = new HashMap<>();
            all.forEach(i -> served.computeIfAbsent(i.kind() + "/" + i.sourceId(), k -> new ArrayList<>()).add(i));
            List<String> wrong = new ArrayList<>();
            for (MalformedRecord r : corpus) {
                List<SourceItem> items = served.getOrDefault(r.kind() + "/" + r.sourceId(), List.of());
                long copies = corpus.stream().filter(o -> o.kind() == r.kind() && o.sourceId().equals(r.sourceId())).count();
                if (items.size() != copies) {
                    wrong.add(r + ": served " + items.size() + " times, expected " + copies);
                    continue;
                }
                boolean expectedInvalid = MalformedCorpus.SOURCE_INVALID.equals(r.expectedCode());
                boolean matches = items.stream().anyMatch(i -> expectedInvalid
                        ? r.expectedFragments().stream().allMatch(f -> String.join("; ", i.errors()).contains(f))
                        : i.valid());
                if (!matches) {
                    wrong.add(r + ": got " + items.get(0).errors());
                }
            }
            assertThat(wrong).isEmpty();

            // The good records are all there and all valid.
            long badItems = all.stream().filter(i -> i.sourceId().startsWith("FZ-") || i.sourceId().startsWith("missing-id-")
                    || i.sourceId().startsWith("invalid-id-") || i.sourceId().matches("\\d+")).count();
            assertThat(badItems).isEqualTo(size);
            assertThat(all.stream().filter(SourceItem::valid).count())
                    .isEqualTo(SampleDataGenerator.STANDARD_TOTAL + corpus.stream().filter(r -> !MalformedCorpus.SOURCE_INVALID.equals(r.expectedCode())).count());

            // Mixed in: most pages hold both good and bad records.
            long mixed = pages.stream().filter(p -> p.stream().anyMatch(SourceItem::valid) && p.stream().anyMatch(i -> !i.valid())).count();
            assertThat(mixed).isGreaterThanOrEqualTo(pages.size() - 2);
            firstRead = all.stream().map(i -> i.kind() + "/" + i.sourceId()).toList();
        }
        // Rebuilt from the seed on start, not journalled: a restart serves the same feed.
        try (SampleSourceServer again = SampleSourceServer.start(settings, new PipelineRecordCheck())) {
            List<String> secondRead = readAll(new SourceClient(again.baseUrl()), 200).stream().flatMap(List::stream)
                    .map(i -> i.kind() + "/" + i.sourceId()).toList();
            assertThat(secondRead).isEqualTo(firstRead);
        }
    }

    private static List<List<SourceItem>> readAll(SourceClient client, int pageSize) {
        List<List<SourceItem>> pages = new ArrayList<>();
        String cursor = null;
        SourceBatch batch;
        do {
            batch = client.fetchChanges(cursor, pageSize);
            pages.add(batch.items());
            cursor = batch.nextCursor();
        } while (batch.hasMore());
        return pages;
    }
}
