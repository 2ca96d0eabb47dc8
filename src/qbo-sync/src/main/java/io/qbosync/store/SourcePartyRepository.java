package io.qbosync.store;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Contacts and companies as last read from the source; a party becomes a customer record, in each QBO company an
 * invoice billing it goes to, once it is billed there.
 */
@Repository
public class SourcePartyRepository {

    private final JdbcTemplate jdbc;

    public SourcePartyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void save(String partyKey, String payload) {
        int updated = jdbc.update("UPDATE source_party SET payload = ?, updated_at = ? WHERE party_key = ?",
                payload, SyncRecordRepository.now(), partyKey);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO source_party (party_key, payload, updated_at) VALUES (?,?,?)",
                        partyKey, payload, SyncRecordRepository.now());
            } catch (DuplicateKeyException raced) {
                save(partyKey, payload);
            }
        }
    }

    public Optional<String> find(String partyKey) {
        return jdbc.queryForList("SELECT payload FROM source_party WHERE party_key = ?", String.class, partyKey)
                .stream().findFirst();
    }
}
