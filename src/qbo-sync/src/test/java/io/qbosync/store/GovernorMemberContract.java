package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the governor membership table promises on each supported database (H2 and PostgreSQL subclasses):
 * heartbeats insert then refresh a member's row on the database's clock, members are listed per realm with their
 * age, leaving keeps the row but marks it inactive, and forgetting spares a row that was refreshed meanwhile.
 */
abstract class GovernorMemberContract {

    static final String REALM = "9130350000000001";
    static final String OTHER_REALM = "9130350000000002";

    GovernorMemberRepository members;

    /** A fresh, empty database (or schema) for each test. */
    abstract DataSource freshDataSource();

    @BeforeEach
    void migrate() {
        DataSource ds = freshDataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        members = new GovernorMemberRepository(ds);
    }

    @Test
    void aHeartbeatRegistersTheMemberInItsRealmOnly() {
        members.heartbeat(REALM, "m-1");
        members.heartbeat(REALM, "m-2");
        members.heartbeat(OTHER_REALM, "m-1");

        List<GovernorMemberRepository.Member> rows = members.members(REALM);
        assertThat(rows).extracting(GovernorMemberRepository.Member::memberId).containsExactly("m-1", "m-2");
        assertThat(rows).allSatisfy(m -> {
            assertThat(m.active()).isTrue();
            assertThat(m.age()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofMinutes(1));
        });
        assertThat(members.members(OTHER_REALM)).extracting(GovernorMemberRepository.Member::memberId)
                .containsExactly("m-1");
        assertThat(members.members("unknown")).isEmpty();
    }

    @Test
    void theAgeGrowsUntilTheNextHeartbeatMovesLastSeenForward() throws Exception {
        members.heartbeat(REALM, "m-1");
        GovernorMemberRepository.Member first = members.members(REALM).get(0);
        awaitAgeAbove(first.age().plusMillis(20));

        members.heartbeat(REALM, "m-1");
        GovernorMemberRepository.Member again = members.members(REALM).get(0);
        assertThat(again.lastSeen()).isAfter(first.lastSeen());
        assertThat(members.members(REALM)).hasSize(1);
    }

    @Test
    void leavingMarksTheRowInactiveAndAHeartbeatRevivesIt() {
        members.heartbeat(REALM, "m-1");
        assertThat(members.leave(REALM, "m-1")).isTrue();
        assertThat(members.leave(REALM, "never-joined")).isFalse();
        assertThat(members.members(REALM)).singleElement().satisfies(m -> assertThat(m.active()).isFalse());

        members.heartbeat(REALM, "m-1");
        assertThat(members.members(REALM)).singleElement().satisfies(m -> assertThat(m.active()).isTrue());
    }

    @Test
    void forgettingSparesARowRefreshedSinceItWasRead() throws Exception {
        members.heartbeat(REALM, "m-1");
        members.heartbeat(REALM, "m-2");
        GovernorMemberRepository.Member m1 = members.members(REALM).get(0);
        GovernorMemberRepository.Member m2 = members.members(REALM).get(1);
        awaitAgeAbove(m1.age().plusMillis(5));
        members.heartbeat(REALM, "m-2");

        assertThat(members.forget(REALM, "m-1", m1.lastSeen())).isTrue();
        assertThat(members.forget(REALM, "m-2", m2.lastSeen())).as("m-2 heartbeat after it was read").isFalse();
        assertThat(members.members(REALM)).extracting(GovernorMemberRepository.Member::memberId)
                .containsExactly("m-2");
    }

    /** Waits until the oldest row of REALM is older than {@code age} by the database's clock. */
    private void awaitAgeAbove(Duration age) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (members.members(REALM).stream().map(GovernorMemberRepository.Member::age)
                .noneMatch(a -> a.compareTo(age) > 0)) {
            assertThat(System.nanoTime()).as("database clock did not advance").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
