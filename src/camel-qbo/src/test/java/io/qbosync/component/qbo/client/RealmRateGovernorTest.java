package io.qbosync.component.qbo.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class RealmRateGovernorTest {

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aBoundedAcquireGivesUpInsteadOfWaitingForAPausedOrFullRealm() throws Exception {
        RealmRateGovernor g = new RealmRateGovernor(10_000, 1.0, 1, Duration.ofSeconds(60));
        RealmRateGovernor.Permit held = g.acquire("busy", Duration.ofMillis(50));
        // The only slot is in use: turned away within the bound, nothing granted or left taken.
        long start = System.nanoTime();
        RealmRateGovernor.WouldWait full = org.junit.jupiter.api.Assertions.assertThrows(
                RealmRateGovernor.WouldWait.class, () -> g.acquire("busy", Duration.ofMillis(50)));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(full.retryAfter()).isPositive();
        held.close();
        g.acquire("busy", Duration.ofMillis(50)).close();

        // Paused by a 429 with Retry-After 30 s: refused at once with about that wait; other realms go on.
        g.onThrottled("busy", Optional.of(Duration.ofSeconds(30)));
        RealmRateGovernor.WouldWait paused = org.junit.jupiter.api.Assertions.assertThrows(
                RealmRateGovernor.WouldWait.class, () -> g.acquire("busy", Duration.ofMillis(100)));
        assertThat(paused.retryAfter()).isGreaterThan(Duration.ofSeconds(29));
        g.acquire("other", Duration.ofMillis(100)).close();
        assertThat(g.stats("busy").granted()).isEqualTo(2);
        assertThat(g.stats("busy").inFlight()).isZero();
    }

    @Test
    void blocksBeyondMaxConcurrentAndLetsEveryoneThroughInTheEnd() throws Exception {
        RealmRateGovernor g = new RealmRateGovernor(10_000, 1.0, 3, Duration.ofSeconds(60));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger holding = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            done.add(pool.submit(() -> {
                try (RealmRateGovernor.Permit p = g.acquire("r1")) {
                    holding.incrementAndGet();
                    release.await();
                    holding.decrementAndGet();
                }
                return null;
            }));
        }
        await(() -> holding.get() == 3);
        // Give the other seven every chance to (wrongly) get in.
        Thread.sleep(200);
        assertThat(holding.get()).isEqualTo(3);
        assertThat(g.stats("r1").inFlight()).isEqualTo(3);
        release.countDown();
        for (Future<?> f : done) {
            f.get(20, TimeUnit.SECONDS);
        }
        pool.shutdown();
        RealmRateGovernor.Stats s = g.stats("r1");
        assertThat(s.granted()).isEqualTo(10);
        assertThat(s.maxInFlight()).isEqualTo(3);
        assertThat(s.permitsWaited()).isEqualTo(7);
        assertThat(s.inFlight()).isZero();
        assertThat(g.stats("other").granted()).isZero();
    }

    @Test
    void limitsRequestsPerWindowWithTheMargin() throws Exception {
        // 10 per window with margin 0.5 = 5 per window; the window is shortened to 1 s for the test.
        RealmRateGovernor g = new RealmRateGovernor(10, 0.5, 10, Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(g.effectiveLimit()).isEqualTo(5);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            g.acquire("r1").close();
        }
        assertThat(g.stats("r1").permitsWaited()).isZero();
        g.acquire("r1").close();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(g.stats("r1").permitsWaited()).isEqualTo(1);
        assertThat(elapsedMs).as("the sixth request waits for the window").isGreaterThanOrEqualTo(990);
        // Another realm has its own budget.
        g.acquire("r2").close();
        assertThat(g.stats("r2").permitsWaited()).isZero();
    }

    @Test
    void aRequestCountsInTheWindowUntilAWindowAfterItsAnswer() throws Exception {
        // One request per 1 s window. QBO counts a request when it arrives, which may be any time before its
        // answer: the slot may only be reused a whole window after the answer, not after the permit.
        RealmRateGovernor g = new RealmRateGovernor(1, 1.0, 10, Duration.ofSeconds(60), Duration.ofSeconds(1));
        RealmRateGovernor.Permit slow = g.acquire("r1");
        Thread.sleep(600);
        // Still in flight: a bounded caller is told to come back no sooner than a window from now.
        RealmRateGovernor.WouldWait full = org.junit.jupiter.api.Assertions.assertThrows(
                RealmRateGovernor.WouldWait.class, () -> g.acquire("r1", Duration.ofMillis(100)));
        assertThat(full.retryAfter()).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        long answered = System.nanoTime();
        slow.close();
        g.acquire("r1").close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered))
                .as("the next request waits a window after the answer").isGreaterThanOrEqualTo(990);
        assertThat(g.stats("r1").granted()).isEqualTo(2);
        assertThat(g.stats("r1").inFlight()).isZero();
    }

    @Test
    void aThrottleReplyPausesOnlyThatRealm() throws Exception {
        RealmRateGovernor g = new RealmRateGovernor(500, 0.95, 10, Duration.ofSeconds(60));
        Duration pause = g.onThrottled("r1", Optional.of(Duration.ofMillis(800)));
        assertThat(pause).isEqualTo(Duration.ofMillis(800));
        assertThat(g.stats("r1").throttled429()).isEqualTo(1);
        assertThat(g.stats("r1").pausedUntil()).isNotNull();
        g.acquire("r2").close();
        assertThat(g.stats("r2").permitsWaited()).isZero();
        long start = System.nanoTime();
        g.acquire("r1").close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(790);
        assertThat(g.stats("r1").permitsWaited()).isEqualTo(1);
        assertThat(g.totals().throttled429()).isEqualTo(1);
    }

    @Test
    void defaultBackoffWithoutRetryAfterIsAboutTheConfiguredValue() {
        RealmRateGovernor g = new RealmRateGovernor(500, 0.95, 10, Duration.ofSeconds(60));
        Duration pause = g.onThrottled("r1", Optional.empty());
        assertThat(pause).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(66));
    }

    @Test
    void anInterruptedWaiterGivesItsSlotBack() throws Exception {
        RealmRateGovernor g = new RealmRateGovernor(500, 0.95, 1, Duration.ofSeconds(60));
        RealmRateGovernor.Permit held = g.acquire("r1");
        Thread waiter = new Thread(() -> {
            try {
                g.acquire("r1").close();
            } catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        await(() -> waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        waiter.join(10_000);
        held.close();
        g.acquire("r1").close(); // would block forever if the interrupted waiter had leaked its slot
        assertThat(g.stats("r1").granted()).isEqualTo(2);
    }
}
