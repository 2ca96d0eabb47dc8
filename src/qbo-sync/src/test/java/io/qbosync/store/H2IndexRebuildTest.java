package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

class H2IndexRebuildTest {

    @TempDir
    Path dir;

    private JdbcDataSource store(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    private static List<Map<String, Object>> indexColumns(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT I.INDEX_NAME, I.TABLE_NAME, I.INDEX_TYPE_NAME, C.COLUMN_NAME, C.ORDINAL_POSITION"
                + " FROM INFORMATION_SCHEMA.INDEXES I JOIN INFORMATION_SCHEMA.INDEX_COLUMNS C ON C.INDEX_SCHEMA ="
                + " I.INDEX_SCHEMA AND C.INDEX_NAME = I.INDEX_NAME WHERE I.TABLE_SCHEMA = SCHEMA()"
                + " ORDER BY I.INDEX_NAME, C.ORDINAL_POSITION");
    }

    @Test
    void rebuildsEveryPlainIndexWithItsColumnsAndDropsLeftovers() {
        JdbcDataSource ds = store("jdbc:h2:file:" + dir.resolve("store"));
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        // A leftover of a rebuild interrupted by a crash.
        jdbc.execute("CREATE INDEX \"IX_SYNC_RECORD_STATUS" + H2IndexRebuild.SUFFIX + "\" ON sync_record (status)");
        List<Map<String, Object>> before = indexColumns(jdbc);

        H2IndexRebuild rebuild = new H2IndexRebuild(ds);
        assertThat(rebuild.applies()).isTrue();
        List<String> rebuilt = rebuild.rebuild();

        assertThat(rebuilt).contains("IX_SYNC_RECORD_STATUS", "IX_SYNC_RECORD_DEPENDS")
                .noneMatch(n -> n.endsWith(H2IndexRebuild.SUFFIX));
        List<Map<String, Object>> after = indexColumns(jdbc);
        assertThat(after).as("the same indexes on the same columns, without the leftover")
                .containsExactlyElementsOf(before.stream()
                        .filter(r -> !String.valueOf(r.get("INDEX_NAME")).endsWith(H2IndexRebuild.SUFFIX)).toList());
    }

    @Test
    void leavesInMemoryStoresAlone() {
        assertThat(new H2IndexRebuild(store("jdbc:h2:mem:rebuild-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"))
                .applies()).isFalse();
    }
}
