package io.qbosync.store;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Contacts and companies as last read from the source; a party becomes a customer record once an invoice bills it. */
@Repository
public class SourcePartyRepository {

    private final JdbcTemplate jdbc;

    public SourcePartyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void save(String realmId, String partyKey, String payload) {
        int updated = jdbc.update("UPDATE source_party SET payload = ?, updated_at = ? WHERE realm_id = ? AND party_key = ?",
                payload, SyncRecordRepository.now(), realmId, partyKey);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO source_party (realm_id, party_key, payload, updated_at) VALUES (?,?,?,?)",
                        realmId, partyKey, payload, SyncRecordRepository.now());
            } catch (DuplicateKeyException raced) {
                save(realmId, partyKey, payload);
            }
        }
    }

    public Optional<String> find(String realmId, String partyKey) {
        return jdbc.queryForList("SELECT payload FROM source_party WHERE realm_id = ? AND party_key = ?", String.class,
                realmId, partyKey).stream().findFirst();
    }
}
