package io.qbosync.store;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * The {@code qbo_governor_member} table (migration {@code V5__governor_members.sql}): which replicas are working on
 * which QBO company, and when each was last heard of. Every timestamp is the database's own
 * {@code CURRENT_TIMESTAMP}, and ages are measured against it, so replicas with skewed clocks agree.
 */
public class GovernorMemberRepository {

    private final JdbcTemplate jdbc;

    /** Repository over a DataSource (Spring's, or a test's). */
    public GovernorMemberRepository(DataSource dataSource) {
        this(new JdbcTemplate(dataSource));
    }

    public GovernorMemberRepository(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /**
     * One member as seen now.
     *
     * @param memberId  the replica's id
     * @param lastSeen  database time of its latest heartbeat (or of leaving)
     * @param age       how long ago that was, by the database's clock
     * @param active    false once it has left cleanly
     * @param windowUsed requests it had started in the trailing window when last seen
     */
    public record Member(String memberId, OffsetDateTime lastSeen, Duration age, boolean active, int windowUsed) {
    }

    /** As {@link #heartbeat(String, String, int)} for a member that started no request lately. */
    public void heartbeat(String realmId, String memberId) {
        heartbeat(realmId, memberId, 0);
    }

    /**
     * Records that the member is working on the realm now (insert, or refresh of its row; active again) and how many
     * requests it started in the trailing window.
     */
    public void heartbeat(String realmId, String memberId, int windowUsed) {
        int n = jdbc.update("UPDATE qbo_governor_member SET last_seen = CURRENT_TIMESTAMP, active = TRUE, window_used = ?"
                + " WHERE realm_id = ? AND member_id = ?", windowUsed, realmId, memberId);
        if (n == 0) {
            // Member ids are unique per JVM and one JVM heartbeats a realm from one thread at a time: no race here.
            jdbc.update("INSERT INTO qbo_governor_member (realm_id, member_id, last_seen, active, window_used)"
                    + " VALUES (?, ?, CURRENT_TIMESTAMP, TRUE, ?)", realmId, memberId, windowUsed);
        }
    }

    /** Marks the member as gone from the realm, as of now; true if it had a row. */
    public boolean leave(String realmId, String memberId) {
        return jdbc.update("UPDATE qbo_governor_member SET last_seen = CURRENT_TIMESTAMP, active = FALSE"
                + " WHERE realm_id = ? AND member_id = ?", realmId, memberId) > 0;
    }

    /** Every member row of the realm, with its age by the database's clock, ordered by member id. */
    public List<Member> members(String realmId) {
        return jdbc.query("SELECT member_id, last_seen, active, window_used, CURRENT_TIMESTAMP AS db_now FROM qbo_governor_member"
                + " WHERE realm_id = ? ORDER BY member_id", (rs, i) -> {
            OffsetDateTime seen = rs.getObject("last_seen", OffsetDateTime.class);
            OffsetDateTime now = rs.getObject("db_now", OffsetDateTime.class);
            Duration age = Duration.between(seen.toInstant(), now.toInstant());
            return new Member(rs.getString("member_id"), seen, age.isNegative() ? Duration.ZERO : age,
                    rs.getBoolean("active"), rs.getInt("window_used"));
        }, realmId);
    }

    /**
     * Deletes a member row if it was not touched since {@code lastSeen} (as read by {@link #members}); a member
     * that heartbeats in between keeps its row. True if deleted.
     */
    public boolean forget(String realmId, String memberId, OffsetDateTime lastSeen) {
        return jdbc.update("DELETE FROM qbo_governor_member WHERE realm_id = ? AND member_id = ? AND last_seen <= ?",
                realmId, memberId, lastSeen) > 0;
    }
}
