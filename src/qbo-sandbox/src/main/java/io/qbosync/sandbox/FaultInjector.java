package io.qbosync.sandbox;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies fault settings to API traffic: latency, throttle bursts, real limits (requests per minute in a
 * sliding window and concurrent requests per realm), HTML 5xx pages and dropped answers after a commit.
 * A realm without own settings uses the global default, which is "no faults" until changed. Counts, per realm
 * and since the sandbox started, the API calls it admitted and those it refused with 429.
 */
final class FaultInjector {
    static final String GLOBAL_KEY = "faults.global";

    /** Outcome of admission: null when admitted, else why the request is refused with 429. */
    record Refusal(FaultSettings settings) {
    }

    /** A realm's traffic since the sandbox started: calls admitted, calls refused with 429, calls in flight. */
    record Traffic(long accepted, long throttled, int inFlight) {
    }

    private static final class RealmFaults {
        volatile FaultSettings own;
        volatile Random rng = new Random();
        final ArrayDeque<Long> window = new ArrayDeque<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
    }

    private final SandboxStore store;
    private final CompanyClock clock;
    private final Map<String, RealmFaults> realms = new ConcurrentHashMap<>();
    private volatile FaultSettings global;
    private volatile Random globalRng = new Random();

    FaultInjector(SandboxStore store, CompanyClock clock) {
        this.store = store;
        this.clock = clock;
        FaultSettings g = FaultSettings.fromJson(store.setting(GLOBAL_KEY));
        this.global = g == null ? FaultSettings.NONE : g;
        if (global.randomSeed() != null) {
            globalRng = new Random(global.randomSeed());
        }
    }

    /** Registers a realm loaded from the database with its stored own settings (may be null). */
    void load(String realmId, FaultSettings own) {
        RealmFaults f = state(realmId);
        f.own = own;
        if (own != null && own.randomSeed() != null) {
            f.rng = new Random(own.randomSeed());
        }
    }

    void forget(String realmId) {
        realms.remove(realmId);
    }

    FaultSettings global() {
        return global;
    }

    FaultSettings own(String realmId) {
        return state(realmId).own;
    }

    FaultSettings effective(String realmId) {
        FaultSettings own = state(realmId).own;
        return own != null ? own : global;
    }

    synchronized void setGlobal(FaultSettings s) {
        store.setting(GLOBAL_KEY, Json.write(s.toJson()));
        global = s;
        globalRng = s.randomSeed() == null ? new Random() : new Random(s.randomSeed());
    }

    /** Sets (or with null clears) a realm's own settings and persists them. */
    void setOwn(String realmId, FaultSettings s) {
        RealmFaults f = state(realmId);
        synchronized (f) {
            store.updateRealmColumn(realmId, "faults", s == null ? null : Json.write(s.toJson()));
            f.own = s;
            f.rng = s == null || s.randomSeed() == null ? new Random() : new Random(s.randomSeed());
        }
    }

    /**
     * Admits the request or refuses it (throttle burst, or with {@code enforceLimits} the per-minute and
     * concurrency limits), then sleeps the configured latency. Admitted requests must call {@link #release}.
     */
    Refusal admit(String realmId) throws InterruptedException {
        RealmFaults f = state(realmId);
        FaultSettings s = effective(realmId);
        Refusal refusal = admission(realmId, f, s);
        if (refusal != null) {
            f.throttled.incrementAndGet();
            return refusal;
        }
        f.accepted.incrementAndGet();
        if (s.latencyMs() > 0) {
            // After admission, so that a slow request occupies a concurrency slot as a slow QBO would.
            try {
                Thread.sleep(s.latencyMs());
            } catch (InterruptedException e) {
                f.inFlight.decrementAndGet();
                throw e;
            }
        }
        return null;
    }

    /** Throttle burst first, then (with {@code enforceLimits}) concurrency and the sliding minute. */
    private Refusal admission(String realmId, RealmFaults f, FaultSettings s) {
        if (s.throttleBurst() > 0 && consumeBurst(realmId, f)) {
            return new Refusal(s);
        }
        if (s.enforceLimits()) {
            int now = f.inFlight.incrementAndGet();
            if (now > s.maxConcurrent()) {
                f.inFlight.decrementAndGet();
                return new Refusal(s);
            }
            long t = clock.nowMillis();
            synchronized (f.window) {
                while (!f.window.isEmpty() && f.window.peekFirst() <= t - 60_000) {
                    f.window.pollFirst();
                }
                if (f.window.size() >= s.requestsPerMinute()) {
                    f.inFlight.decrementAndGet();
                    return new Refusal(s);
                }
                f.window.addLast(t);
            }
        } else {
            f.inFlight.incrementAndGet();
        }
        return null;
    }

    /** The realm's counters (zeros for a realm that had no API call yet). */
    Traffic traffic(String realmId) {
        RealmFaults f = state(realmId);
        return new Traffic(f.accepted.get(), f.throttled.get(), f.inFlight.get());
    }

    void release(String realmId) {
        state(realmId).inFlight.decrementAndGet();
    }

    /** True when this request should get an HTML 5xx page instead of being handled. */
    boolean roll5xx(String realmId) {
        FaultSettings s = effective(realmId);
        return s.error5xxRate() > 0 && rng(realmId).nextDouble() < s.error5xxRate();
    }

    /** 503 or 500, chosen with the realm's generator. */
    int pick5xxStatus(String realmId) {
        return rng(realmId).nextBoolean() ? 503 : 500;
    }

    /** True when a committed write should be answered by dropping the connection. */
    boolean rollTimeoutAfterCommit(String realmId) {
        FaultSettings s = effective(realmId);
        return s.timeoutAfterCommitRate() > 0 && rng(realmId).nextDouble() < s.timeoutAfterCommitRate();
    }

    private Random rng(String realmId) {
        RealmFaults f = state(realmId);
        return f.own != null ? f.rng : globalRng;
    }

    private boolean consumeBurst(String realmId, RealmFaults f) {
        if (f.own != null) {
            synchronized (f) {
                FaultSettings s = f.own;
                if (s == null || s.throttleBurst() <= 0) {
                    return false;
                }
                FaultSettings next = s.withThrottleBurst(s.throttleBurst() - 1);
                store.updateRealmColumn(realmId, "faults", Json.write(next.toJson()));
                f.own = next;
                return true;
            }
        }
        synchronized (this) {
            if (global.throttleBurst() <= 0) {
                return false;
            }
            FaultSettings next = global.withThrottleBurst(global.throttleBurst() - 1);
            store.setting(GLOBAL_KEY, Json.write(next.toJson()));
            global = next;
            return true;
        }
    }

    private RealmFaults state(String realmId) {
        return realms.computeIfAbsent(realmId, k -> new RealmFaults());
    }
}
