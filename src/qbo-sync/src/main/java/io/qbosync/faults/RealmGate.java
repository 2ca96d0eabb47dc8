package io.qbosync.faults;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.store.Fault;
import io.qbosync.store.QboConnectionRepository;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncWork;

/**
 * Holds the work of a company whose QBO connection is lost at the start of the push routes, without a QBO call,
 * while other companies' messages on the same queues go on (step {@code realm-gate} after {@code syncStore.open}).
 *
 * <p>A company is held while its stored connection is not CONNECTED (EXPIRED or REVOKED, in the shared database,
 * so every replica knows). The set of such companies is cached and read again at most every
 * {@code sync.errors.auth.hold-refresh-ms} (one query for all companies, not one per record); a fault seen here
 * ({@link #hold}) and a resume ({@link #release}) change the cache at once. A record is only held after its
 * company's status is confirmed in the database, so a stale cache never holds a reconnected company's work.
 */
@Component("realmGate")
public class RealmGate {

    private static final Logger LOG = LoggerFactory.getLogger(RealmGate.class);

    private final QboConnectionRepository connections;
    private final SyncRecordRepository records;
    private final ObjectProvider<MeterRegistry> meters;
    private final long refreshNanos;
    private volatile Set<String> held = Set.of();
    private volatile long loadedAt;
    private volatile boolean loaded;

    public RealmGate(QboConnectionRepository connections, SyncRecordRepository records,
            ObjectProvider<MeterRegistry> meters,
            @Value("${sync.errors.auth.hold-refresh-ms:5000}") long refreshMs) {
        this.connections = connections;
        this.records = records;
        this.meters = meters;
        this.refreshNanos = Duration.ofMillis(refreshMs).toNanos();
    }

    /**
     * Route step: a message with work ({@code syncStep == push}) for a held company is not pushed; its record goes
     * HELD as {@value QboConnectionGuard#CONNECTION_LOST} and {@code syncStep} becomes {@code held}.
     */
    public void admit(Exchange exchange) {
        if (!"push".equals(exchange.getIn().getHeader(SyncHeaders.STEP))) {
            return;
        }
        SyncWork work = exchange.getProperty(SyncHeaders.WORK, SyncWork.class);
        String realmId = work.realmId();
        if (!isHeld(realmId)) {
            return;
        }
        QboConnectionStatus status = connections.statusOf(realmId).orElse(QboConnectionStatus.CONNECTED);
        if (status == QboConnectionStatus.CONNECTED) {
            release(realmId);
            return;
        }
        records.markHeld(work.record().id(), new Fault(QboConnectionGuard.CONNECTION_LOST,
                "Not sent: the QBO connection of company " + realmId + " is " + status, null, null, null,
                QboConnectionGuard.action(realmId)));
        exchange.getIn().setHeader(SyncHeaders.STEP, "held");
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Counter.builder("qbosync.records.held.connection").tag("realm", realmId)
                    .description("Records held at the push routes' gate because their company's QBO connection is lost")
                    .register(registry).increment();
        }
        LOG.debug("Held {} {}: QBO company {} is {}", work.record().entityType(), work.record().sourceId(), realmId,
                status);
    }

    /** True while pushes into the company are held (cached; see the class comment). */
    public boolean isHeld(String realmId) {
        long now = System.nanoTime();
        if (!loaded || now - loadedAt >= refreshNanos) {
            refresh(now);
        }
        return held.contains(realmId);
    }

    /** Companies held now, as this replica knows it. */
    public Set<String> heldRealms() {
        isHeld("");
        return held;
    }

    /** The connection was found lost here: hold at once, before the next refresh. */
    synchronized boolean hold(String realmId) {
        if (held.contains(realmId)) {
            return false;
        }
        Set<String> next = new HashSet<>(held);
        next.add(realmId);
        held = Set.copyOf(next);
        return true;
    }

    /** The company was reconnected: let its messages through at once. */
    synchronized void release(String realmId) {
        if (held.contains(realmId)) {
            Set<String> next = new HashSet<>(held);
            next.remove(realmId);
            held = Set.copyOf(next);
        }
    }

    private synchronized void refresh(long now) {
        if (loaded && now - loadedAt < refreshNanos) {
            return;
        }
        try {
            held = connections.realmsNotConnected();
        } catch (DataAccessException e) {
            // Keep what is known; the push itself will meet the database outage.
            LOG.debug("Could not read the QBO connections' status: {}", e.toString());
        }
        loadedAt = now;
        loaded = true;
    }
}
