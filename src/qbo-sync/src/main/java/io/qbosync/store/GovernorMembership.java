package io.qbosync.store;

import io.qbosync.component.qbo.client.RealmRateGovernor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shares each QBO company's request budget among the replicas that work on it, through the database: this JVM
 * heartbeats a row per realm it uses ({@link GovernorMemberRepository}) and tells its {@link RealmRateGovernor} how
 * many members there are, so that every member uses {@code 1/members} of the realm's budget.
 *
 * <p>The rules keep the sum over members under the realm's limit in every sliding window:
 * <ul>
 * <li>A member counts while it is live (heard of within {@code timeout}) and, after that, for as long as its
 * requests may still be in someone's window: one {@code timeout} plus one window after it was last seen, or one
 * window after it left cleanly. So the others shrink as soon as they see a newcomer and grow only once a departed
 * member's last requests have aged out.</li>
 * <li>A newcomer that finds other members holds (starts no request) until whatever they may have used under their
 * larger share has aged out: one {@code timeout} (the longest a member may go without noticing it) plus one window.
 * A member that finds nobody starts at once with the whole budget. One that finds only departed members that had
 * started no request in their last window (the restart of an idle app, the usual case with a sync every few
 * minutes; members publish that count with each heartbeat) does not hold either: it starts at once with its part
 * of the budget. The count is up to one heartbeat stale, so a member killed within a heartbeat of a burst may cost
 * a few 429s, which the governor absorbs by pausing.</li>
 * <li>Each refresh makes this JVM's share valid for {@code timeout}; a member that cannot reach the database for
 * that long stops (the governor holds its realms) and comes back as a newcomer.</li>
 * </ul>
 */
public final class GovernorMembership implements RealmRateGovernor.ShareCoordinator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GovernorMembership.class);

    private final GovernorMemberRepository repository;
    private final RealmRateGovernor governor;
    private final String memberId;
    private final long heartbeatNanos;
    private final long timeoutNanos;
    private final long windowNanos;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Map<String, RealmMembership> realms = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private ScheduledFuture<?> task;
    private boolean closed;
    private boolean failing;

    /** Per-realm bookkeeping of this member. */
    private static final class RealmMembership {
        /** nanoTime at which the last successful refresh began; 0 before the first. */
        long lastSuccessStart;
        boolean everSucceeded;
        /** nanoTime until which this member holds as a newcomer. */
        long holdUntil;
        boolean holding;
        int members = 1;
        /** (nanoTime, permits granted so far) at past heartbeats, to tell how many started in the last window. */
        final ArrayDeque<long[]> granted = new ArrayDeque<>();
    }

    /**
     * A member with a random id and its own scheduler thread.
     *
     * @param heartbeat how often to heartbeat and re-read the members (a few seconds)
     * @param timeout   silence after which a member counts as gone (several heartbeats, e.g. 15 s)
     */
    public GovernorMembership(GovernorMemberRepository repository, RealmRateGovernor governor, Duration heartbeat,
                              Duration timeout) {
        this(repository, governor, UUID.randomUUID().toString(), heartbeat, timeout,
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "qbo-governor-membership");
                    t.setDaemon(true);
                    return t;
                }), true);
    }

    /** A member with a given id on a caller's scheduler (which the caller shuts down). */
    public GovernorMembership(GovernorMemberRepository repository, RealmRateGovernor governor, String memberId,
                              Duration heartbeat, Duration timeout, ScheduledExecutorService scheduler) {
        this(repository, governor, memberId, heartbeat, timeout, scheduler, false);
    }

    private GovernorMembership(GovernorMemberRepository repository, RealmRateGovernor governor, String memberId,
                               Duration heartbeat, Duration timeout, ScheduledExecutorService scheduler,
                               boolean ownsScheduler) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.governor = Objects.requireNonNull(governor, "governor");
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        if (heartbeat.isNegative() || heartbeat.isZero() || timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the member timeout (" + timeout + ") must be at least two heartbeats ("
                    + heartbeat + ")");
        }
        this.heartbeatNanos = heartbeat.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.windowNanos = governor.window().toNanos();
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
    }

    /** Becomes the governor's coordinator and starts heartbeating; realms join on their first request. */
    public GovernorMembership start() {
        synchronized (lock) {
            if (task == null && !closed) {
                governor.coordinate(this);
                task = scheduler.scheduleWithFixedDelay(this::refreshAll, heartbeatNanos, heartbeatNanos,
                        TimeUnit.NANOSECONDS);
            }
        }
        return this;
    }

    /** This JVM's member id (a random UUID unless given). */
    public String memberId() {
        return memberId;
    }

    /** Members sharing the realm as this JVM last saw them, this one included; empty if it never joined. */
    public Optional<Integer> members(String realmId) {
        RealmMembership m = realms.get(realmId);
        return m == null || !m.everSucceeded ? Optional.empty() : Optional.of(m.members);
    }

    /** Heartbeats the realm now and sets the governor's share (hold, if the database cannot be reached). */
    @Override
    public void join(String realmId) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            refresh(realmId, realms.computeIfAbsent(realmId, k -> new RealmMembership()));
        }
    }

    /** One heartbeat round over every realm this member works on (the scheduler's task). */
    void refreshAll() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            realms.forEach(this::refresh);
        }
    }

    private void refresh(String realmId, RealmMembership state) {
        long start = System.nanoTime();
        List<GovernorMemberRepository.Member> rows;
        try {
            repository.heartbeat(realmId, memberId, startedInWindow(realmId, state, start));
            rows = repository.members(realmId);
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Cannot heartbeat the QBO governor membership of realm {} ({}); its requests stop {} s after"
                        + " the last successful heartbeat until the database answers again", realmId, e.toString(),
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
            }
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("QBO governor membership heartbeats work again");
        }
        long seen = System.nanoTime();
        // Silent for a timeout: the others may have written us off, so we come back as a newcomer.
        boolean newcomer = !state.everSucceeded || start - state.lastSuccessStart >= timeoutNanos;
        int others = 0;
        long holdFor = 0;
        for (GovernorMemberRepository.Member m : rows) {
            if (m.memberId().equals(memberId)) {
                continue;
            }
            long age = m.age().toNanos();
            // How long its requests may still be in a window: a member that stopped heartbeating stops itself
            // within a timeout of its last heartbeat; one that left stopped before leaving.
            long counted = m.active() ? timeoutNanos + windowNanos - age : windowNanos - age;
            boolean live = m.active() && age < timeoutNanos;
            if (counted > 0) {
                others++;
                // A live member may use its old, larger share until it sees us: within a timeout from now. One
                // that departed idle (no request in its last window as of its last heartbeat) left nothing to
                // wait for; it still counts as a member, so the newcomer starts with a part of the budget.
                boolean departedIdle = !live && m.windowUsed() == 0;
                holdFor = Math.max(holdFor, live ? timeoutNanos + windowNanos : departedIdle ? 0 : counted);
            } else if (age > 2 * (timeoutNanos + windowNanos)) {
                repository.forget(realmId, m.memberId(), m.lastSeen());
            }
        }
        if (newcomer) {
            state.holdUntil = seen + holdFor;
            state.holding = holdFor > 0;
            if (state.holding) {
                LOG.info("QBO realm {}: joining {} other member(s); holding for {} s until their larger shares have"
                        + " aged out", realmId, others, TimeUnit.NANOSECONDS.toSeconds(holdFor));
            }
        }
        if (state.holding && seen - state.holdUntil >= 0) {
            state.holding = false;
        }
        state.members = 1 + others;
        state.lastSuccessStart = start;
        state.everSucceeded = true;
        governor.setShare(realmId, state.members, state.holding, start + timeoutNanos);
    }

    /**
     * Requests this JVM started in the realm within (at least) the trailing window: permits granted since the
     * newest heartbeat at least one window old, or since this member began.
     */
    private int startedInWindow(String realmId, RealmMembership state, long now) {
        long granted = governor.stats(realmId).granted();
        state.granted.addLast(new long[] {now, granted});
        // Keep the newest snapshot that is at least a window old, and everything after it.
        while (state.granted.size() > 1) {
            long[] first = state.granted.pollFirst();
            if (now - state.granted.peekFirst()[0] < windowNanos) {
                state.granted.addFirst(first);
                break;
            }
        }
        long[] oldest = state.granted.peekFirst();
        long since = now - oldest[0] >= windowNanos ? oldest[1] : 0;
        return (int) Math.min(Integer.MAX_VALUE, granted - since);
    }

    /** Stops heartbeating and leaves every realm: the others take over its share one window later. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (task != null) {
                task.cancel(false);
            }
            for (String realmId : realms.keySet()) {
                // Hold first: no request may start after the row says we left.
                governor.setShare(realmId, 1, true, System.nanoTime());
                try {
                    repository.leave(realmId, memberId);
                } catch (RuntimeException e) {
                    LOG.warn("Could not leave the QBO governor membership of realm {} ({}); the others will count"
                            + " this member until it times out", realmId, e.toString());
                }
            }
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }
}
