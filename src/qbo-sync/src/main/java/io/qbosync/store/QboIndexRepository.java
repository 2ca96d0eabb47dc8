package io.qbosync.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The QBO customers and items an onboarding run imported ({@code qbo_customer_index}, {@code qbo_item_index}), the
 * onboarding runs themselves ({@code realm_onboarding}) and the ranked suggestions kept for a record held with an
 * ambiguous match ({@code match_suggestion}). Matching reads this instead of querying QBO per record.
 *
 * <p>A candidate is an indexed customer that no <em>other</em> customer record is linked to: a QBO customer that
 * belongs to one source party (because it was matched to it, or qbo-sync created it for it) is never offered to
 * another one.
 */
@Repository
public class QboIndexRepository {

    private static final String CUSTOMER_COLUMNS = "i.realm_id, i.qbo_id, i.display_name, i.company_name, i.email,"
            + " i.person, i.parent_qbo_id, i.sync_token";
    /** No customer record but {@code ?} is linked to the indexed customer. */
    private static final String UNCLAIMED = " AND NOT EXISTS (SELECT 1 FROM sync_record s WHERE s.realm_id = i.realm_id"
            + " AND s.entity_type = 'CUSTOMER' AND s.qbo_id = i.qbo_id AND s.id <> ?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public QboIndexRepository(JdbcTemplate jdbc, @Qualifier("syncStoreTx") TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** An imported QBO customer. */
    public record IndexedCustomer(String realmId, String qboId, String displayName, String companyName, String email,
            boolean person, String parentQboId, String syncToken) {
    }

    /** An imported QBO item. */
    public record IndexedItem(String realmId, String qboId, String name, String sku) {
    }

    /** A finished onboarding run. */
    public record Onboarding(String realmId, int customers, int items, int qboRequests, String requestedBy,
            OffsetDateTime finishedAt) {
    }

    /** One ranked suggestion for a record held with DUPLICATE_MATCH. */
    public record Suggestion(int rank, String qboId, String displayName, String email, String reason, int score) {
    }

    // ---- customers ------------------------------------------------------------------------------------------

    /** Inserts or refreshes one imported customer. */
    public void upsertCustomer(IndexedCustomer c, String emailKey, String nameKey, String companyKey) {
        OffsetDateTime now = SyncRecordRepository.now();
        int updated = jdbc.update("UPDATE qbo_customer_index SET display_name = ?, company_name = ?, email = ?, person = ?,"
                + " parent_qbo_id = ?, sync_token = ?, email_key = ?, name_key = ?, company_key = ?, imported_at = ?"
                + " WHERE realm_id = ? AND qbo_id = ?", c.displayName(), c.companyName(), c.email(), c.person(),
                c.parentQboId(), c.syncToken(), emailKey, nameKey, companyKey, now, c.realmId(), c.qboId());
        if (updated == 0) {
            jdbc.update("INSERT INTO qbo_customer_index (realm_id, qbo_id, display_name, company_name, email, person,"
                    + " parent_qbo_id, sync_token, email_key, name_key, company_key, imported_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", c.realmId(), c.qboId(), c.displayName(), c.companyName(),
                    c.email(), c.person(), c.parentQboId(), c.syncToken(), emailKey, nameKey, companyKey, now);
        }
    }

    /** Drops an indexed customer QBO reported deleted, inactive or merged away (610, 2500). */
    public void forgetCustomer(String realmId, String qboId) {
        jdbc.update("DELETE FROM qbo_customer_index WHERE realm_id = ? AND qbo_id = ?", realmId, qboId);
    }

    /** Unclaimed customers (see class comment) whose e-mail key is {@code emailKey}, lowest QBO id first. */
    public List<IndexedCustomer> candidatesByEmail(String realmId, String emailKey, long recordId) {
        return candidates("i.email_key = ?", realmId, emailKey, recordId);
    }

    /** Unclaimed customers whose DisplayName key is {@code nameKey}. */
    public List<IndexedCustomer> candidatesByName(String realmId, String nameKey, long recordId) {
        return candidates("i.name_key = ?", realmId, nameKey, recordId);
    }

    /** Unclaimed company-style customers (no given or family name) whose CompanyName key is {@code companyKey}. */
    public List<IndexedCustomer> candidatesByCompany(String realmId, String companyKey, long recordId) {
        return candidates("i.company_key = ? AND i.person = FALSE", realmId, companyKey, recordId);
    }

    private List<IndexedCustomer> candidates(String where, String realmId, String key, long recordId) {
        if (key == null) {
            return List.of();
        }
        return jdbc.query("SELECT " + CUSTOMER_COLUMNS + " FROM qbo_customer_index i WHERE i.realm_id = ? AND " + where
                + UNCLAIMED + " ORDER BY " + numericOrder("i.qbo_id"), CUSTOMER, realmId, key, recordId);
    }

    /**
     * Indexed customers whose name or e-mail contains {@code text} (case-insensitive), for a person picking a match;
     * each with the record id it is linked to, if any.
     */
    public List<SearchHit> searchCustomers(String realmId, String text, int limit) {
        String like = "%" + text.trim().toLowerCase(java.util.Locale.ROOT).replace("%", "").replace("_", "") + "%";
        return jdbc.query("SELECT " + CUSTOMER_COLUMNS + ", (SELECT MIN(s.id) FROM sync_record s WHERE s.realm_id = i.realm_id"
                + " AND s.entity_type = 'CUSTOMER' AND s.qbo_id = i.qbo_id) AS linked FROM qbo_customer_index i"
                + " WHERE i.realm_id = ? AND (LOWER(i.display_name) LIKE ? OR LOWER(i.company_name) LIKE ?"
                + " OR i.email_key LIKE ?) ORDER BY i.display_name FETCH FIRST " + Math.max(1, Math.min(limit, 100))
                + " ROWS ONLY", (rs, n) -> new SearchHit(CUSTOMER.mapRow(rs, n), (Long) rs.getObject("linked", Long.class)),
                realmId, like, like, like);
    }

    /** A search result: the customer, and the customer record already linked to it (null when none). */
    public record SearchHit(IndexedCustomer customer, Long linkedRecordId) {
    }

    public Optional<IndexedCustomer> customer(String realmId, String qboId) {
        return jdbc.query("SELECT " + CUSTOMER_COLUMNS + " FROM qbo_customer_index i WHERE i.realm_id = ? AND i.qbo_id = ?",
                CUSTOMER, realmId, qboId).stream().findFirst();
    }

    public int customerCount(String realmId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM qbo_customer_index WHERE realm_id = ?", Integer.class, realmId);
        return n == null ? 0 : n;
    }

    // ---- items ----------------------------------------------------------------------------------------------

    public void upsertItem(IndexedItem item, String skuKey, String nameKey) {
        OffsetDateTime now = SyncRecordRepository.now();
        int updated = jdbc.update("UPDATE qbo_item_index SET name = ?, sku = ?, sku_key = ?, name_key = ?, imported_at = ?"
                + " WHERE realm_id = ? AND qbo_id = ?", item.name(), item.sku(), skuKey, nameKey, now, item.realmId(),
                item.qboId());
        if (updated == 0) {
            jdbc.update("INSERT INTO qbo_item_index (realm_id, qbo_id, name, sku, sku_key, name_key, imported_at)"
                    + " VALUES (?,?,?,?,?,?,?)", item.realmId(), item.qboId(), item.name(), item.sku(), skuKey, nameKey, now);
        }
    }

    public List<IndexedItem> itemsBySku(String realmId, String skuKey) {
        return items("sku_key = ?", realmId, skuKey);
    }

    public List<IndexedItem> itemsByName(String realmId, String nameKey) {
        return items("name_key = ?", realmId, nameKey);
    }

    private List<IndexedItem> items(String where, String realmId, String key) {
        if (key == null) {
            return List.of();
        }
        return jdbc.query("SELECT realm_id, qbo_id, name, sku FROM qbo_item_index WHERE realm_id = ? AND " + where
                + " ORDER BY " + numericOrder("qbo_id"), (rs, n) -> new IndexedItem(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4)), realmId, key);
    }

    /** Drops an indexed item QBO reported deleted or inactive (610, 2500 on an ItemRef). */
    public void forgetItem(String realmId, String qboId) {
        jdbc.update("DELETE FROM qbo_item_index WHERE realm_id = ? AND qbo_id = ?", realmId, qboId);
    }

    public int itemCount(String realmId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM qbo_item_index WHERE realm_id = ?", Integer.class, realmId);
        return n == null ? 0 : n;
    }

    // ---- onboarding runs ------------------------------------------------------------------------------------

    public Optional<Onboarding> onboarding(String realmId) {
        return jdbc.query("SELECT realm_id, customers, items, qbo_requests, requested_by, finished_at FROM realm_onboarding"
                + " WHERE realm_id = ?", (rs, n) -> new Onboarding(rs.getString(1), rs.getInt(2), rs.getInt(3),
                        rs.getInt(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class)), realmId).stream().findFirst();
    }

    public void recordOnboarding(Onboarding o) {
        tx.executeWithoutResult(s -> {
            jdbc.update("DELETE FROM realm_onboarding WHERE realm_id = ?", o.realmId());
            jdbc.update("INSERT INTO realm_onboarding (realm_id, customers, items, qbo_requests, requested_by, finished_at)"
                    + " VALUES (?,?,?,?,?,?)", o.realmId(), o.customers(), o.items(), o.qboRequests(), o.requestedBy(),
                    o.finishedAt());
        });
    }

    // ---- suggestions ----------------------------------------------------------------------------------------

    /** Replaces the suggestions kept for a record. */
    public void saveSuggestions(long recordId, List<Suggestion> suggestions) {
        tx.executeWithoutResult(s -> {
            jdbc.update("DELETE FROM match_suggestion WHERE record_id = ?", recordId);
            for (Suggestion g : suggestions) {
                jdbc.update("INSERT INTO match_suggestion (record_id, rank_no, qbo_id, display_name, email, reason, score)"
                        + " VALUES (?,?,?,?,?,?,?)", recordId, g.rank(), g.qboId(), g.displayName(), g.email(),
                        truncate(g.reason(), 300), g.score());
            }
        });
    }

    public List<Suggestion> suggestions(long recordId) {
        return jdbc.query("SELECT rank_no, qbo_id, display_name, email, reason, score FROM match_suggestion"
                + " WHERE record_id = ? ORDER BY rank_no", (rs, n) -> new Suggestion(rs.getInt(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)), recordId);
    }

    public void clearSuggestions(long recordId) {
        jdbc.update("DELETE FROM match_suggestion WHERE record_id = ?", recordId);
    }

    /** QBO ids are decimal strings: compare them as numbers so that "9" comes before "10" on both databases. */
    private static String numericOrder(String column) {
        return "LENGTH(" + column + "), " + column;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static final RowMapper<IndexedCustomer> CUSTOMER = QboIndexRepository::customer;

    private static IndexedCustomer customer(ResultSet rs, int row) throws SQLException {
        return new IndexedCustomer(rs.getString("realm_id"), rs.getString("qbo_id"), rs.getString("display_name"),
                rs.getString("company_name"), rs.getString("email"), rs.getBoolean("person"),
                rs.getString("parent_qbo_id"), rs.getString("sync_token"));
    }
}
