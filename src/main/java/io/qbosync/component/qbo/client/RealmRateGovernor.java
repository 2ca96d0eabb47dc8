package io.qbosync.component.qbo.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps each QBO company (realm) under Intuit's per-app limits: at most {@code requestsPerMinute × margin}
 * requests started in any sliding minute and at most {@code maxConcurrent} in flight. Callers that exceed the
 * budget wait in arrival order (fair) instead of failing. After a 429 the realm is paused for the reply's
 * {@code Retry-After}, or for the configured backoff plus jitter; other realms are not affected.
 *
 * <p>The budget is per JVM: with several replicas, divide {@code requestsPerMinute} by the replica count.
 */
public final class RealmRateGovernor {

    private static final Logger LOG = LoggerFactory.getLogger(RealmRateGovernor.class);

    private final int requestsPerMinute;
    private final double margin;
    private final int maxConcurrent;
    private final int windowLimit;
    private final long windowNanos;
    private final Duration throttleBackoff;
    private final Map<String, RealmState> realms = new ConcurrentHashMap<>();

    /**
     * @param requestsPerMinute Intuit's per-realm limit (500)
     * @param margin            fraction of it to use, 0 &lt; margin ≤ 1 (e.g. 0.95)
     * @param maxConcurrent     requests in flight per realm (Intuit allows 10)
     * @param throttleBackoff   pause after a 429 without {@code Retry-After} (Intuit suggests 60 s)
     */
    public RealmRateGovernor(int requestsPerMinute, double margin, int maxConcurrent, Duration throttleBackoff) {
        this(requestsPerMinute, margin, maxConcurrent, throttleBackoff, Duration.ofMinutes(1));
    }

    /** As above with another window length than one minute (the limit then applies per window). */
    public RealmRateGovernor(int requestsPerMinute, double margin, int maxConcurrent, Duration throttleBackoff,
                             Duration window) {
        if (requestsPerMinute < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("requestsPerMinute and maxConcurrent must be >= 1");
        }
        if (!(margin > 0 && margin <= 1)) {
            throw new IllegalArgumentException("margin must be in (0, 1], was " + margin);
        }
        this.requestsPerMinute = requestsPerMinute;
        this.margin = margin;
        this.maxConcurrent = maxConcurrent;
        this.windowLimit = Math.max(1, (int) Math.floor(requestsPerMinute * margin));
        this.windowNanos = window.toNanos();
        this.throttleBackoff = throttleBackoff;
    }

    /** A granted request slot; close it when the HTTP call is over. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits (fairly) until the realm may start another request, then returns its permit.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Permit acquire(String realmId) throws InterruptedException {
        RealmState s = realms.computeIfAbsent(realmId, k -> new RealmState());
        long startWait = System.nanoTime();
        boolean waited = false;
        if (!s.concurrency.tryAcquire()) {
            waited = true;
            s.concurrency.acquire();
        }
        try {
            s.turnstile.lockInterruptibly();
            try {
                while (true) {
                    long now = System.nanoTime();
                    while (!s.starts.isEmpty() && now - s.starts.peekFirst() >= windowNanos) {
                        s.starts.pollFirst();
                    }
                    long wait = Math.max(0, s.pausedUntilNanos.get() - now);
                    if (s.starts.size() >= windowLimit) {
                        wait = Math.max(wait, s.starts.peekFirst() + windowNanos - now);
                    }
                    if (wait <= 0) {
                        s.starts.addLast(now);
                        break;
                    }
                    waited = true;
                    // Sleep while holding the turnstile so that later arrivals keep their place in the queue.
                    LockSupport.parkNanos(this, wait);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for the QBO rate budget");
                    }
                }
            } finally {
                s.turnstile.unlock();
            }
        } catch (InterruptedException | RuntimeException e) {
            s.concurrency.release();
            throw e;
        }
        s.granted.incrementAndGet();
        if (waited) {
            s.waited.incrementAndGet();
            s.waitNanos.addAndGet(System.nanoTime() - startWait);
        }
        int inFlight = s.inFlight.incrementAndGet();
        s.maxInFlight.accumulateAndGet(inFlight, Math::max);
        return new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    s.inFlight.decrementAndGet();
                    s.concurrency.release();
                }
            }
        };
    }

    /**
     * Records a 429 for the realm and pauses it: for {@code retryAfter} when QBO sent one, else for the
     * configured backoff plus up to 10 % jitter. Returns the pause applied.
     */
    public Duration onThrottled(String realmId, Optional<Duration> retryAfter) {
        RealmState s = realms.computeIfAbsent(realmId, k -> new RealmState());
        s.throttled.incrementAndGet();
        Duration pause = retryAfter.orElseGet(() -> throttleBackoff.plusMillis(
                (long) (throttleBackoff.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble())));
        long until = System.nanoTime() + pause.toNanos();
        // No lock: a waiter may hold the turnstile for long; it re-reads the pause whenever it wakes.
        s.pausedUntilNanos.accumulateAndGet(until, (a, b) -> a - b >= 0 ? a : b);
        LOG.warn("QBO throttled realm {} (429); pausing its requests for {} ms", realmId, pause.toMillis());
        return pause;
    }

    /** Counters for one realm (zeros if it was never used). */
    public Stats stats(String realmId) {
        RealmState s = realms.get(realmId);
        return s == null ? new Stats(0, 0, 0, 0, 0, 0, null) : s.snapshot();
    }

    /** Counters summed over all realms (maxInFlight is the largest of any realm). */
    public Stats totals() {
        long granted = 0, waited = 0, waitMs = 0, throttled = 0;
        int inFlight = 0, maxInFlight = 0;
        for (RealmState s : realms.values()) {
            Stats x = s.snapshot();
            granted += x.granted();
            waited += x.permitsWaited();
            waitMs += x.waitMillis();
            throttled += x.throttled429();
            inFlight += x.inFlight();
            maxInFlight = Math.max(maxInFlight, x.maxInFlight());
        }
        return new Stats(granted, waited, waitMs, throttled, inFlight, maxInFlight, null);
    }

    /** Requests allowed per window after the margin. */
    public int effectiveLimit() {
        return windowLimit;
    }

    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    public double margin() {
        return margin;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * Governor counters.
     *
     * @param granted       permits handed out
     * @param permitsWaited permits that had to wait (for concurrency, rate budget or a 429 pause)
     * @param waitMillis    total time spent waiting
     * @param throttled429  429 replies recorded
     * @param inFlight      requests in flight now
     * @param maxInFlight   highest number in flight observed
     * @param pausedUntil   end of the current 429 pause, or null
     */
    public record Stats(long granted, long permitsWaited, long waitMillis, long throttled429, int inFlight,
                        int maxInFlight, Instant pausedUntil) {
    }

    private final class RealmState {
        final Semaphore concurrency = new Semaphore(maxConcurrent, true);
        final ReentrantLock turnstile = new ReentrantLock(true);
        final ArrayDeque<Long> starts = new ArrayDeque<>();
        final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());
        final AtomicLong granted = new AtomicLong();
        final AtomicLong waited = new AtomicLong();
        final AtomicLong waitNanos = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        Stats snapshot() {
            long remaining = pausedUntilNanos.get() - System.nanoTime();
            Instant paused = remaining > 0 ? Instant.now().plusNanos(remaining) : null;
            return new Stats(granted.get(), waited.get(), waitNanos.get() / 1_000_000, throttled.get(),
                    inFlight.get(), maxInFlight.get(), paused);
        }
    }
}
