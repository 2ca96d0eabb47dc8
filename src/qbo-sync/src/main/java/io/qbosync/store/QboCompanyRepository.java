package io.qbosync.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Company key (of the mapping file's {@code companies:} section) → QBO realm ({@code qbo_company}). */
@Repository
public class QboCompanyRepository {

    private final JdbcTemplate jdbc;

    public QboCompanyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> realmOf(String companyKey) {
        return jdbc.queryForList("SELECT realm_id FROM qbo_company WHERE company_key = ?", String.class, companyKey)
                .stream().findFirst();
    }

    public Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.query("SELECT company_key, realm_id FROM qbo_company ORDER BY company_key",
                rs -> { out.put(rs.getString(1), rs.getString(2)); });
        return out;
    }

    /**
     * Records the key's realm; a key already recorded with another realm is moved to the new one (the configuration
     * names the realm of a real company), a realm already under another key is refused.
     */
    public void put(String companyKey, String realmId) {
        Optional<String> current = realmOf(companyKey);
        if (current.isPresent() && current.get().equals(realmId)) {
            return;
        }
        try {
            if (current.isPresent()) {
                jdbc.update("UPDATE qbo_company SET realm_id = ? WHERE company_key = ?", realmId, companyKey);
            } else {
                jdbc.update("INSERT INTO qbo_company (company_key, realm_id, created_at) VALUES (?,?,?)", companyKey,
                        realmId, SyncRecordRepository.now());
            }
        } catch (DuplicateKeyException e) {
            String other = all().entrySet().stream().filter(x -> x.getValue().equals(realmId) && !x.getKey().equals(companyKey))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (other == null) {
                // Another replica recorded the same key at the same time.
                put(companyKey, realmId);
                return;
            }
            throw new IllegalStateException("QBO company " + realmId + " is already company '" + other
                    + "'; it cannot also be '" + companyKey + "'. Route both to one company key.");
        }
    }
}
