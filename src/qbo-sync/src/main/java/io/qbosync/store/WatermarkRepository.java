package io.qbosync.store;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Where each poller got to in its source's change feed; advanced only after a page is safely registered. */
@Repository
public class WatermarkRepository {

    private final JdbcTemplate jdbc;

    public WatermarkRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> get(String name) {
        return jdbc.queryForList("SELECT cursor_value FROM sync_watermark WHERE name = ?", String.class, name)
                .stream().findFirst();
    }

    public void set(String name, String cursor) {
        if (jdbc.update("UPDATE sync_watermark SET cursor_value = ?, updated_at = ? WHERE name = ?", cursor,
                SyncRecordRepository.now(), name) == 0) {
            jdbc.update("INSERT INTO sync_watermark (name, cursor_value, updated_at) VALUES (?,?,?)", name, cursor,
                    SyncRecordRepository.now());
        }
    }
}
