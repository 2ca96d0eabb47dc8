package io.qbosync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.MalformedRecord;
import io.qbosync.demo.bench.MalformedStoreReport;

/** The bench's per-record judge over a real H2 file with the real sync-store schema. */
class MalformedStoreReportTest {

    @TempDir
    Path dir;

    @Test
    void countsOnlyRowsThatAreFailedWithTheExpectedCodeAndEveryFragment() throws Exception {
        List<MalformedRecord> corpus = new MalformedCorpus(42, 300).records();
        String url = "jdbc:h2:file:" + dir.resolve("sync-store");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement st = c.createStatement()) {
                st.execute(new String(getClass().getResourceAsStream("/db/migration/V1__sync_store.sql").readAllBytes(), StandardCharsets.UTF_8));
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sync_record (realm_id, entity_type, source_id,"
                    + " source_version, payload, status, fault_code, fault_message, action, created_at, updated_at)"
                    + " VALUES ('r1', ?, ?, 'v', '{}', ?, ?, ?, 'fix it', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                for (int i = 0; i < corpus.size(); i++) {
                    MalformedRecord r = corpus.get(i);
                    if (i == 10) {
                        continue; // no row at all
                    }
                    String status = i == 11 ? "HELD" : "FAILED";
                    String code = i == 12 ? "6000" : r.expectedCode();
                    String message = String.join("; ", r.expectedFragments());
                    if (i == 13) {
                        message = r.kind().wire() + " " + r.sourceId() + ": something is wrong"; // names the record, not the problem
                    }
                    insert.setString(1, r.storeEntityType());
                    insert.setString(2, r.storeSourceId());
                    insert.setString(3, status);
                    insert.setString(4, code);
                    insert.setString(5, message);
                    try {
                        insert.executeUpdate();
                    } catch (java.sql.SQLIntegrityConstraintViolationException duplicateId) {
                        // the second record of a duplicate-id pair shares the first one's row, as in the pipeline
                    }
                }
            }
        }

        MalformedStoreReport.Figures f = MalformedStoreReport.evaluate(corpus, url, "sa", "");

        assertThat(f.bad()).isEqualTo(300);
        assertThat(f.missing()).isEqualTo(1);
        assertThat(f.specific()).isEqualTo(300 - 4);
        assertThat(f.notSpecific()).hasSize(4);
        assertThat(f.notSpecific().get(0)).contains("no sync record");
        assertThat(f.rows()).isLessThan(300); // duplicate ids share a row
        assertThat(f.line()).startsWith("bad=300 rows=" + f.rows() + " specific_errors=296 ").endsWith(" missing=1 other=3");
    }
}
