package io.qbosync.component.qbo.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps each QBO company (realm) under Intuit's per-app limits: at most {@code requestsPerMinute × margin}
 * requests in any sliding minute and at most {@code maxConcurrent} in flight. A request counts in the window from
 * its permit until one window after its answer (the permit's {@link Permit#close}). QBO counts it when it arrives,
 * somewhere in between, so none of QBO's windows holds more than the governor allows in its own, whatever the
 * latency. Callers that exceed the budget wait in arrival order (fair) instead of failing. After a 429 the realm is
 * paused for the reply's {@code Retry-After}, or for the configured backoff plus jitter; other realms are not
 * affected.
 *
 * <p>The budget is per JVM unless a {@link ShareCoordinator} is set ({@link #coordinate}): the coordinator (in
 * the app, {@code io.qbosync.store.GovernorMembership} over the sync store's database) tells the governor how many
 * replicas share each realm, and this JVM then uses {@code floor(requestsPerMinute × margin / members)} requests per
 * window and {@code max(1, floor(maxConcurrent / members))} in flight. Without a coordinator a realm is this JVM's
 * alone (one member).
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
    private final List<Consumer<String>> realmListeners = new CopyOnWriteArrayList<>();
    private volatile ShareCoordinator coordinator;

    /**
     * @param requestsPerMinute Intuit's per-realm limit (500)
     * @param margin            fraction of it to use, 0 &lt; margin ≤ 1 (e.g. 0.99)
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

    /** A granted request slot; close it when the answer has arrived (it counts in the window a window longer). */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Tells the governor how many replicas share a realm. {@link #join} is called once per realm, on its first
     * {@link #acquire} and before that request is admitted; from then on the coordinator keeps the realm's share
     * current through {@link #setShare}. Requests of a realm wait while its share says "hold" or has expired.
     */
    @FunctionalInterface
    public interface ShareCoordinator {
        /** Registers this JVM as a member of the realm and sets its share; must not throw. */
        void join(String realmId);
    }

    /**
     * Hands the realms' shares to a coordinator. Realms already in use keep their current share until the
     * coordinator sets another; only realms first used from now on are joined.
     */
    public void coordinate(ShareCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    /** Calls the listener with the id of every realm used so far and of each realm when it is first used. */
    public void onRealm(Consumer<String> listener) {
        realmListeners.add(listener);
        realms.keySet().forEach(listener);
    }

    /**
     * Sets this JVM's share of a realm: the budget becomes {@code floor(effectiveLimit / members)} per window and
     * {@code max(1, floor(maxConcurrent / members))} in flight. With {@code hold} no request starts; past
     * {@code validUntilNanos} (a {@link System#nanoTime()} value) neither, until the next call — so a member that
     * loses touch with the others stops instead of using a share they may have redistributed.
     *
     * @param members         replicas sharing the realm, this one included (at least 1)
     * @param hold            true while this member must not start requests (e.g. just joined)
     * @param validUntilNanos when the share lapses, in {@code System.nanoTime()} terms
     */
    public void setShare(String realmId, int members, boolean hold, long validUntilNanos) {
        if (members < 1) {
            throw new IllegalArgumentException("members must be >= 1, was " + members);
        }
        RealmState s = state(realmId);
        s.setShare(new Share(members, hold, true, validUntilNanos));
    }

    /** Sets a share that never lapses (a fixed split, e.g. for tests or a static deployment). */
    public void setShare(String realmId, int members) {
        if (members < 1) {
            throw new IllegalArgumentException("members must be >= 1, was " + members);
        }
        state(realmId).setShare(new Share(members, false, false, 0));
    }

    /** Window length (one minute unless constructed otherwise). */
    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /**
     * Waits (fairly) until the realm may start another request, then returns its permit.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Permit acquire(String realmId) throws InterruptedException {
        try {
            return admit(realmId, Long.MAX_VALUE);
        } catch (WouldWait e) {
            throw new IllegalStateException("unbounded acquire cannot time out", e);
        }
    }

    /**
     * As {@link #acquire}, but gives up once the realm would make the caller wait longer than {@code maxWait}, so
     * that a thread shared by several realms can do other work meanwhile.
     *
     * @throws WouldWait with the expected wait, when no permit is granted within {@code maxWait}
     */
    public Permit acquire(String realmId, Duration maxWait) throws InterruptedException, WouldWait {
        return admit(realmId, Math.max(0, maxWait.toNanos()));
    }

    /** The realm has no permit for this caller within its bound; {@link #retryAfter} estimates when it may. */
    public static final class WouldWait extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        WouldWait(String realmId, long waitNanos) {
            super("QBO realm " + realmId + " has no request budget for " + waitNanos / 1_000_000 + " ms", null,
                    false, false);
            this.retryAfter = Duration.ofNanos(waitNanos);
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    private Permit admit(String realmId, long maxWaitNanos) throws InterruptedException, WouldWait {
        boolean bounded = maxWaitNanos != Long.MAX_VALUE;
        RealmState s = state(realmId);
        ShareCoordinator c = coordinator;
        if (c != null && s.joinRequested.compareAndSet(false, true)) {
            c.join(realmId);
        }
        long startWait = System.nanoTime();
        boolean waited = false;
        long deadline = startWait + maxWaitNanos;
        if (!s.concurrency.tryAcquire()) {
            waited = true;
            if (!bounded) {
                s.concurrency.acquire();
            } else if (!s.concurrency.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                throw new WouldWait(realmId, busyEstimate(s));
            }
        }
        try {
            if (!bounded) {
                s.turnstile.lockInterruptibly();
            } else if (!s.turnstile.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new WouldWait(realmId, busyEstimate(s));
            }
            try {
                while (true) {
                    long now = System.nanoTime();
                    Share share = s.share;
                    int limit = share.windowLimit(windowLimit);
                    long wait = Math.max(0, s.pausedUntilNanos.get() - now);
                    if (share.heldAt(now) || limit == 0) {
                        // No budget at all: wait for the coordinator's next share (setShare wakes us).
                        wait = Math.max(wait, HOLD_RECHECK_NANOS);
                    } else if (s.window.occupied(now) >= limit) {
                        wait = Math.max(wait, s.window.untilFree(now));
                    }
                    if (wait <= 0) {
                        s.window.open();
                        break;
                    }
                    if (bounded && wait > deadline - now) {
                        throw new WouldWait(realmId, wait);
                    }
                    waited = true;
                    // Sleep while holding the turnstile so that later arrivals keep their place in the queue.
                    s.parked = Thread.currentThread();
                    LockSupport.parkNanos(this, wait);
                    s.parked = null;
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for the QBO rate budget");
                    }
                }
            } finally {
                s.turnstile.unlock();
            }
        } catch (InterruptedException | WouldWait | RuntimeException e) {
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
                    s.window.answered();
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
        RealmState s = state(realmId);
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
        return s == null ? new Stats(0, 0, 0, 0, 0, 0, null, 1, windowLimit, maxConcurrent, false) : s.snapshot();
    }

    /**
     * Counters summed over all realms (maxInFlight and members are the largest of any realm, windowLimit and
     * concurrencyLimit the sums, held true if any realm is held).
     */
    public Stats totals() {
        long granted = 0, waited = 0, waitMs = 0, throttled = 0;
        int inFlight = 0, maxInFlight = 0, members = 0, budget = 0, concurrency = 0;
        boolean held = false;
        for (RealmState s : realms.values()) {
            Stats x = s.snapshot();
            granted += x.granted();
            waited += x.permitsWaited();
            waitMs += x.waitMillis();
            throttled += x.throttled429();
            inFlight += x.inFlight();
            maxInFlight = Math.max(maxInFlight, x.maxInFlight());
            members = Math.max(members, x.members());
            budget += x.windowLimit();
            concurrency += x.concurrencyLimit();
            held |= x.held();
        }
        return new Stats(granted, waited, waitMs, throttled, inFlight, maxInFlight, null, members, budget,
                concurrency, held);
    }

    /** Requests allowed per window after the margin, for the whole realm (all members together). */
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
     * @param members       replicas sharing the realm, this one included (1 without a coordinator)
     * @param windowLimit   this JVM's budget: requests it may start per window
     * @param concurrencyLimit this JVM's requests in flight at most
     * @param held          true while this JVM may not start requests (just joined, or lost touch)
     */
    public record Stats(long granted, long permitsWaited, long waitMillis, long throttled429, int inFlight,
                        int maxInFlight, Instant pausedUntil, int members, int windowLimit, int concurrencyLimit,
                        boolean held) {
    }

    /** A bounded caller turned away by a full realm (in flight or queued): how long until it may look again. */
    private static long busyEstimate(RealmState s) {
        return Math.max(s.pausedUntilNanos.get() - System.nanoTime(), BUSY_RETRY_NANOS);
    }

    private static final long BUSY_RETRY_NANOS = Duration.ofMillis(250).toNanos();

    /** How often a held realm's waiter looks again, in case a wake-up from setShare was missed. */
    private static final long HOLD_RECHECK_NANOS = Duration.ofMillis(200).toNanos();

    /**
     * The requests a realm's window counts: those in flight and those answered less than a window ago. Its own lock,
     * since a waiter holds the turnstile while it sleeps and permits must close meanwhile.
     */
    private static final class SlotWindow {
        private final long windowNanos;
        private final ArrayDeque<Long> answers = new ArrayDeque<>();
        private int open;

        SlotWindow(long windowNanos) {
            this.windowNanos = windowNanos;
        }

        synchronized int occupied(long now) {
            while (!answers.isEmpty() && now - answers.peekFirst() >= windowNanos) {
                answers.pollFirst();
            }
            return open + answers.size();
        }

        synchronized void open() {
            open++;
        }

        /** The time is read under the lock, so that the answers stay in order for {@link #occupied}. */
        synchronized void answered() {
            open--;
            answers.addLast(System.nanoTime());
        }

        /**
         * Until the oldest answer leaves the window. With none answered, every counted request is in flight and
         * frees its slot no sooner than a window from now.
         */
        synchronized long untilFree(long now) {
            return answers.isEmpty() ? windowNanos : answers.peekFirst() + windowNanos - now;
        }
    }

    /** This JVM's part of a realm. {@code expires} false: valid forever. */
    private record Share(int members, boolean hold, boolean expires, long validUntilNanos) {
        static final Share ALONE = new Share(1, false, false, 0);
        static final Share PENDING = new Share(1, true, false, 0);

        int windowLimit(int realmLimit) {
            return realmLimit / members;
        }

        int concurrency(int realmConcurrent) {
            return Math.max(1, realmConcurrent / members);
        }

        boolean heldAt(long now) {
            return hold || (expires && now - validUntilNanos >= 0);
        }
    }

    /** A fair semaphore whose number of permits can shrink; permits taken beyond the new size drain away. */
    private static final class ResizableSemaphore extends Semaphore {
        private int size;

        ResizableSemaphore(int size) {
            super(size, true);
            this.size = size;
        }

        synchronized void resize(int newSize) {
            if (newSize > size) {
                release(newSize - size);
            } else if (newSize < size) {
                reducePermits(size - newSize);
            }
            size = newSize;
        }

        synchronized int size() {
            return size;
        }
    }

    private RealmState state(String realmId) {
        RealmState s = realms.get(realmId);
        if (s != null) {
            return s;
        }
        boolean[] created = new boolean[1];
        s = realms.computeIfAbsent(realmId, k -> {
            created[0] = true;
            return new RealmState(k, coordinator == null ? Share.ALONE : Share.PENDING);
        });
        if (created[0]) {
            realmListeners.forEach(l -> l.accept(realmId));
        }
        return s;
    }

    private final class RealmState {
        final String realmId;
        final ResizableSemaphore concurrency;
        final ReentrantLock turnstile = new ReentrantLock(true);
        final AtomicBoolean joinRequested = new AtomicBoolean();
        volatile Share share;
        volatile Thread parked;
        final SlotWindow window = new SlotWindow(windowNanos);
        final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());
        final AtomicLong granted = new AtomicLong();
        final AtomicLong waited = new AtomicLong();
        final AtomicLong waitNanos = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        RealmState(String realmId, Share initial) {
            this.realmId = realmId;
            share = initial;
            concurrency = new ResizableSemaphore(initial.concurrency(maxConcurrent));
        }

        void setShare(Share next) {
            Share previous = share;
            share = next;
            concurrency.resize(next.concurrency(maxConcurrent));
            if (previous.members != next.members || previous.hold != next.hold) {
                LOG.info("QBO realm {}: {} member(s) share its budget; this one may start {} requests per {} s, {} in"
                                + " flight{}", realmId, next.members, next.windowLimit(windowLimit),
                        windowNanos / 1_000_000_000.0, next.concurrency(maxConcurrent), next.hold ? " (holding)" : "");
            }
            Thread t = parked;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        Stats snapshot() {
            long now = System.nanoTime();
            long remaining = pausedUntilNanos.get() - now;
            Instant paused = remaining > 0 ? Instant.now().plusNanos(remaining) : null;
            Share sh = share;
            return new Stats(granted.get(), waited.get(), waitNanos.get() / 1_000_000, throttled.get(),
                    inFlight.get(), maxInFlight.get(), paused, sh.members, sh.windowLimit(windowLimit),
                    concurrency.size(), sh.heldAt(now));
        }
    }
}
