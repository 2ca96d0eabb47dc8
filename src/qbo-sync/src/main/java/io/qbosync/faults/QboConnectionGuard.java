package io.qbosync.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
 * Stops pushing into a QBO company whose connection is gone, without dropping anything, and starts again once it is
 * reconnected.
 *
 * <p>{@link #connectionLost} (route {@code qbo-errors-auth}) puts the record back as HELD with code
 * {@value #CONNECTION_LOST} and an action saying how to reconnect; the first such fault for a company logs one ERROR
 * line and suspends the push routes ({@code sync.errors.auth.suspend-routes}), so queued messages wait in Artemis
 * instead of failing one by one. Suspension runs on its own thread: a route cannot wait for its own in-flight
 * exchange to finish.
 *
 * <p>{@link #resume} is for the operator (the ops API) after the company was reconnected: it resumes the routes and
 * queues the held records again.
 */
@Component("qboConnectionGuard")
public class QboConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(QboConnectionGuard.class);

    /** Fault code of a record held because the company's QBO connection was lost. */
    public static final String CONNECTION_LOST = "QBO_CONNECTION_LOST";

    /** Why and since when pushes into a company are suspended. */
    public record Suspension(String realmId, String code, String reason, Instant since) {
    }

    private final SyncRecordRepository records;
    private final QboConnectionRepository connections;
    private final OAuthTokenManager tokens;
    private final CamelContext camel;
    private final SyncQueues queues;
    private final List<String> routeIds;
    private final Map<String, Suspension> suspended = new ConcurrentHashMap<>();
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qbo-connection-guard");
        t.setDaemon(true);
        return t;
    });

    public QboConnectionGuard(SyncRecordRepository records, QboConnectionRepository connections,
            OAuthTokenManager tokens, CamelContext camel, SyncQueues queues,
            @Value("${sync.errors.auth.suspend-routes:qbo-push-customers,qbo-push-invoices,qbo-push-payments}")
            String routeIds) {
        this.records = records;
        this.connections = connections;
        this.tokens = tokens;
        this.camel = camel;
        this.queues = queues;
        this.routeIds = Arrays.stream(routeIds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Route step: holds the record in hand and suspends pushes for its company. */
    public void connectionLost(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(caught instanceof QboFaultException fault)) {
            throw new IllegalStateException("qbo-errors-auth caught " + caught);
        }
        connectionLost(exchange.getProperty(SyncHeaders.WORK, SyncWork.class), fault);
    }

    /** Holds {@code work}'s record (when there is one) and suspends pushes for the fault's company. */
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
        Suspension first = new Suspension(realmId, fault.code(), reason, Instant.now());
        if (suspended.putIfAbsent(realmId, first) == null) {
            LOG.error("QBO connection of company {} lost ({}): pushes suspended ({}), records wait HELD as {}. {}",
                    realmId, reason, String.join(", ", routeIds), CONNECTION_LOST, action(realmId));
            control.execute(() -> suspendRoutes(realmId));
        }
    }

    /** Companies whose pushes are suspended, with the fault that suspended them. */
    public List<Suspension> suspensions() {
        return new ArrayList<>(suspended.values());
    }

    public boolean isSuspended(String realmId) {
        return suspended.containsKey(realmId);
    }

    /**
     * After the company was reconnected: resumes the push routes and queues every record held for the lost
     * connection again. Refused while the stored connection is not CONNECTED (reconnect first).
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
        await(control.submit(this::resumeRoutes));
        suspended.remove(realmId);
        int queued = 0;
        List<SyncRecord> held;
        do {
            held = records.findByStatusAndFaultCode(realmId, SyncStatus.HELD, CONNECTION_LOST, 500);
            held.forEach(r -> records.markPending(r.id()));
            queues.sendAll(held.stream().map(SyncStore::message).toList());
            queued += held.size();
        } while (!held.isEmpty());
        LOG.info("QBO company {} reconnected: pushes resumed, {} held records queued again", realmId, queued);
        return queued;
    }

    private void suspendRoutes(String realmId) {
        RouteController routes = camel.getRouteController();
        for (String id : routeIds) {
            try {
                if (camel.getRoute(id) != null && routes.getRouteStatus(id) == ServiceStatus.Started) {
                    routes.suspendRoute(id);
                }
            } catch (Exception e) {
                LOG.error("Could not suspend route {} for company {}", id, realmId, e);
            }
        }
    }

    private Void resumeRoutes() throws Exception {
        RouteController routes = camel.getRouteController();
        for (String id : routeIds) {
            if (camel.getRoute(id) == null) {
                continue;
            }
            ServiceStatus status = routes.getRouteStatus(id);
            if (status == ServiceStatus.Suspended) {
                routes.resumeRoute(id);
            } else if (status == ServiceStatus.Stopped) {
                routes.startRoute(id);
            }
        }
        return null;
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not resume the push routes", e.getCause());
        }
    }

    private static String reason(QboFaultException fault) {
        if (fault instanceof QboConnectionExpiredException) {
            return "the refresh token was refused (" + fault.code() + "): " + fault.detail();
        }
        return "QBO " + fault.code() + " " + fault.faultMessage()
                + (fault.detail() == null ? "" : " - " + fault.detail());
    }

    private static String action(String realmId) {
        return "Reconnect QBO company " + realmId + " (authorize qbo-sync again, or store a new refresh token for it),"
                + " then resume the sync: the push routes restart and held records are queued again.";
    }
}
