package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.qbosync.component.qbo.client.RealmRateGovernor;

/**
 * Two replicas (governor + membership each) on one database: each gets half of the realm's budget, a newcomer
 * holds until the other's larger share has aged out, and the survivor takes the whole budget back only once the
 * departed member's last window is over. Short windows and timeouts; every wait polls with a deadline.
 */
class GovernorMembershipTest {

    private static final String REALM = "9130350000000001";
    private static final int LIMIT = 40;
    private static final Duration WINDOW = Duration.ofMillis(1500);
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private GovernorMemberRepository repository;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One replica: its own governor, membership and heartbeat thread (stopping the thread = going silent). */
    private record Replica(RealmRateGovernor governor, GovernorMembership membership,
                           ScheduledExecutorService heartbeats) {
        RealmRateGovernor.Stats stats() {
            return governor.stats(REALM);
        }
    }

    @BeforeEach
    void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:membership-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource((DataSource) ds).locations("classpath:db/migration").load().migrate();
        repository = new GovernorMemberRepository(ds);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Replica replica(String id) {
        RealmRateGovernor governor = new RealmRateGovernor(LIMIT, 1.0, 8, Duration.ofSeconds(60), WINDOW);
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        GovernorMembership membership = new GovernorMembership(repository, governor, id, HEARTBEAT, TIMEOUT,
                heartbeats).start();
        toClose.add(heartbeats::shutdownNow);
        toClose.add(membership);
        return new Replica(governor, membership, heartbeats);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not in time: " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aLoneMemberHasTheWholeBudgetAtOnce() throws Exception {
        Replica a = replica("a");
        a.governor().acquire(REALM).close();
        assertThat(a.stats().members()).isEqualTo(1);
        assertThat(a.stats().windowLimit()).isEqualTo(LIMIT);
        assertThat(a.stats().concurrencyLimit()).isEqualTo(8);
        assertThat(a.stats().held()).isFalse();
        assertThat(a.membership().members(REALM)).contains(1);
    }

    @Test
    void twoMembersGetHalfEachAndTheSurvivorGetsAllBackOneWindowAfterTheOtherWentSilent() throws Exception {
        Replica a = replica("a");
        a.governor().acquire(REALM).close();
        Replica b = replica("b");
        b.membership().join(REALM);
        assertThat(b.stats().held()).as("the newcomer holds while A may still use its whole budget").isTrue();
        assertThat(b.stats().members()).isEqualTo(2);

        await("A halves its budget", () -> a.stats().members() == 2 && a.stats().windowLimit() == LIMIT / 2
                && a.stats().concurrencyLimit() == 4);
        await("B stops holding", () -> !b.stats().held());
        assertThat(b.stats().windowLimit()).isEqualTo(LIMIT / 2);
        assertThat(b.stats().concurrencyLimit()).isEqualTo(4);
        b.governor().acquire(REALM).close();

        // B's JVM stops heartbeating (as if killed): A keeps half until B's last window has aged out.
        b.heartbeats().shutdownNow();
        long silent = System.nanoTime();
        await("A takes the whole budget back", () -> a.stats().members() == 1 && a.stats().windowLimit() == LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - silent))
                .as("A may not grow before B's requests have left the window").isGreaterThanOrEqualTo(WINDOW);
        assertThat(a.stats().concurrencyLimit()).isEqualTo(8);
        await("B, cut off, stops by itself", () -> b.stats().held());
    }

    @Test
    void aRestartAfterAnIdlePredecessorStartsAtOnceButAfterABusyOneHolds() throws Exception {
        // The predecessor worked on the realm but started nothing in its last window, then was killed.
        repository.heartbeat(REALM, "idle-predecessor", 0);
        await("the predecessor is silent for a timeout (restarting takes longer)", () -> repository.members(REALM)
                .stream().allMatch(m -> m.age().compareTo(TIMEOUT) > 0));
        Replica idleRestart = replica("restart-1");
        idleRestart.membership().join(REALM);
        assertThat(idleRestart.stats().held()).as("nothing of the idle predecessor is in any window").isFalse();
        assertThat(idleRestart.stats().members()).as("it counts until its window is over").isEqualTo(2);
        idleRestart.governor().acquire(REALM).close();

        // Another realm whose predecessor had just used its budget, then stopped: the restart waits for that window.
        // (A clean leave rather than silence, so that no wait here can outlast the window under a slow machine.)
        String busyRealm = REALM + "9";
        repository.heartbeat(busyRealm, "busy-predecessor", LIMIT);
        repository.leave(busyRealm, "busy-predecessor");
        idleRestart.membership().join(busyRealm);
        assertThat(idleRestart.governor().stats(busyRealm).held()).isTrue();
        await("the busy predecessor's window ages out", () -> !idleRestart.governor().stats(busyRealm).held());
    }

    @Test
    void membersPublishWhatTheyStartedInTheirLastWindow() throws Exception {
        Replica a = replica("a");
        for (int i = 0; i < 5; i++) {
            a.governor().acquire(REALM).close();
        }
        await("A's heartbeat carries its 5 requests", () -> repository.members(REALM).stream()
                .anyMatch(m -> m.memberId().equals("a") && m.windowUsed() == 5));
        await("and drops them once they are a window old", () -> repository.members(REALM).stream()
                .anyMatch(m -> m.memberId().equals("a") && m.windowUsed() == 0));
    }

    @Test
    void aMemberThatLeavesCleanlyIsReplacedAfterOneWindow() throws Exception {
        Replica a = replica("a");
        a.governor().acquire(REALM).close();
        Replica b = replica("b");
        b.membership().join(REALM);
        await("A halves its budget", () -> a.stats().windowLimit() == LIMIT / 2);

        long left = System.nanoTime();
        b.membership().close();
        assertThat(b.stats().held()).as("a member that left starts nothing more").isTrue();
        assertThat(repository.members(REALM)).filteredOn(m -> m.memberId().equals("b"))
                .singleElement().satisfies(m -> assertThat(m.active()).isFalse());
        await("A takes the whole budget back", () -> a.stats().windowLimit() == LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isGreaterThanOrEqualTo(WINDOW);
    }

    /**
     * Both replicas request as fast as their governors let them while B joins: the requests they start together
     * never exceed the realm's limit. (Starts are stamped after acquire returns, so the check uses a window a
     * little shorter than the governors' to allow for the delay between their stamp and ours.)
     */
    @Test
    void requestsOfBothMembersTogetherStayWithinTheRealmLimit() throws Exception {
        Replica a = replica("a");
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        toClose.add(pool::shutdownNow);
        startLoad(pool, a.governor(), 3, starts, running);
        await("A has used its whole budget", () -> a.stats().granted() >= LIMIT);

        Replica b = replica("b");
        startLoad(pool, b.governor(), 3, starts, running);
        await("B is admitted", () -> b.stats().granted() > 0);
        long bStarted = System.nanoTime();
        await("two more windows pass", () -> System.nanoTime() - bStarted > 2 * WINDOW.toNanos());
        running.set(false);
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        List<Long> sorted;
        synchronized (starts) {
            sorted = new ArrayList<>(starts);
        }
        Collections.sort(sorted);
        long span = WINDOW.toNanos() - TimeUnit.MILLISECONDS.toNanos(300);
        int most = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= span) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertThat(most).as("requests started by both members within one window").isLessThanOrEqualTo(LIMIT);
        assertThat(a.stats().granted() + b.stats().granted()).isEqualTo(sorted.size());
        assertThat(b.stats().granted()).isPositive();
    }

    private static void startLoad(ExecutorService pool, RealmRateGovernor governor, int threads, List<Long> starts,
                                  AtomicBoolean running) {
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (running.get()) {
                    try (RealmRateGovernor.Permit p = governor.acquire(REALM)) {
                        starts.add(System.nanoTime());
                    } catch (InterruptedException e) {
                        return null;
                    }
                }
                return null;
            });
        }
    }
}
