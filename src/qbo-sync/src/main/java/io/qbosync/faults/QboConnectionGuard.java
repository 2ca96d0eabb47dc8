package io.qbosync.faults;

import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.qbosync.component.qbo.QboConnectionExpiredException;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.store.Fault;
import io.qbosync.store.QboConnectionRepository;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncQueues;
import io.qbosync.sync.SyncStore;
import io.qbosync.sync.SyncWork;

/**
 * Stops pushing into a QBO company whose connection is gone, without dropping anything and without stopping the
 * other companies, and starts again once it is reconnected.
 *
 * <p>{@link #connectionLost} (route {@code qbo-errors-auth}) puts the record back as HELD with code
 * {@value #CONNECTION_LOST} and an action saying how to reconnect, makes sure the stored connection is no longer
 * CONNECTED (the token manager marks an {@code invalid_grant} EXPIRED itself; a company QBO refuses after a refresh,
 * 3200/3100/120/130/6190, is marked EXPIRED here), so every replica learns of it, and holds the company in the
 * {@link RealmGate}: its further messages are held at the start of the push routes without a QBO call. The first
 * such fault for a company on this replica logs one ERROR line.
 *
 * <p>{@link #resume} is for the operator (the ops API) after the company was reconnected: it queues that company's
 * held records again.
 */
@Component("qboConnectionGuard")
public class QboConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(QboConnectionGuard.class);

    /** Fault code of a record held because the company's QBO connection was lost. */
    public static final String CONNECTION_LOST = "QBO_CONNECTION_LOST";

    private final SyncRecordRepository records;
    private final QboConnectionRepository connections;
    private final OAuthTokenManager tokens;
    private final SyncQueues queues;
    private final RealmGate gate;

    public QboConnectionGuard(SyncRecordRepository records, QboConnectionRepository connections,
            OAuthTokenManager tokens, SyncQueues queues, RealmGate gate) {
        this.records = records;
        this.connections = connections;
        this.tokens = tokens;
        this.queues = queues;
        this.gate = gate;
    }

    /** Route step: holds the record in hand and the pushes into its company. */
    public void connectionLost(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(caught instanceof QboFaultException fault)) {
            throw new IllegalStateException("qbo-errors-auth caught " + caught);
        }
        connectionLost(exchange.getProperty(SyncHeaders.WORK, SyncWork.class), fault);
    }

    /** Holds {@code work}'s record (when there is one) and the pushes into the fault's company. */
    public void connectionLost(SyncWork work, QboFaultException fault) {
        String realmId = work != null ? work.realmId() : fault.realmId();
        String reason = reason(fault);
        if (work != null) {
            records.markHeld(work.record().id(), new Fault(CONNECTION_LOST, reason, fault.detail(), null,
                    fault.intuitTid(), action(realmId)));
        }
        if (realmId == null) {
            return;
        }
        if (connections.statusOf(realmId).orElse(null) == QboConnectionStatus.CONNECTED) {
            connections.updateStatus(realmId, QboConnectionStatus.EXPIRED, reason);
        }
        if (gate.hold(realmId)) {
            LOG.error("QBO connection of company {} lost ({}): its pushes are held (other companies go on), records"
                    + " wait HELD as {}. {}", realmId, reason, CONNECTION_LOST, action(realmId));
        }
    }

    /** Companies whose pushes are held (their stored connection is not CONNECTED). */
    public Set<String> heldRealms() {
        return gate.heldRealms();
    }

    public boolean isHeld(String realmId) {
        return gate.isHeld(realmId);
    }

    /**
     * After the company was reconnected: queues every record of that company held for the lost connection again.
     * Refused while the stored connection is not CONNECTED (reconnect first). Other companies are not touched.
     *
     * @return the number of records queued again
     */
    public int resume(String realmId) {
        QboConnection connection = connections.find(realmId).orElseThrow(
                () -> new IllegalStateException("No QBO connection stored for company " + realmId));
        if (connection.status() != QboConnectionStatus.CONNECTED) {
            throw new IllegalStateException("QBO company " + realmId + " is " + connection.status()
                    + "; reconnect it before resuming (" + connection.statusReason() + ")");
        }
        tokens.evict(realmId);
        gate.release(realmId);
        int queued = 0;
        List<SyncRecord> held;
        do {
            held = records.findByStatusAndFaultCode(realmId, SyncStatus.HELD, CONNECTION_LOST, 500);
            held.forEach(r -> records.markPending(r.id()));
            queues.sendAll(held.stream().map(SyncStore::message).toList());
            queued += held.size();
        } while (!held.isEmpty());
        LOG.info("QBO company {} reconnected: {} held records queued again", realmId, queued);
        return queued;
    }

    private static String reason(QboFaultException fault) {
        if (fault instanceof QboConnectionExpiredException) {
            return "the refresh token was refused (" + fault.code() + "): " + fault.detail();
        }
        return "QBO " + fault.code() + " " + fault.faultMessage()
                + (fault.detail() == null ? "" : " - " + fault.detail());
    }

    /** What the operator does about a held company. */
    static String action(String realmId) {
        return "Reconnect QBO company " + realmId + " (authorize qbo-sync again, or store a new refresh token for it),"
                + " then resume the sync: the company's held records are queued again.";
    }
}
