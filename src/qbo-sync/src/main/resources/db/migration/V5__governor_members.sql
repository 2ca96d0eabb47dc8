-- Replicas sharing a QBO company's request budget (GovernorMemberRepository / GovernorMembership).
-- One row per (realm, JVM): last_seen is the database's clock at the member's latest heartbeat, so replicas
-- never compare their own clocks. active = false once a member has left cleanly.
-- Valid on H2 2.x and PostgreSQL 15.
CREATE TABLE qbo_governor_member (
    realm_id   VARCHAR(64) NOT NULL,
    member_id  VARCHAR(64) NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    active     BOOLEAN     NOT NULL,
    -- requests the member started in the trailing window, as of last_seen (at most one heartbeat stale)
    window_used INTEGER    NOT NULL DEFAULT 0,
    CONSTRAINT pk_qbo_governor_member PRIMARY KEY (realm_id, member_id)
);
