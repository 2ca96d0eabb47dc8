package io.qbosync.faults;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.gateway.QboGateway;
import io.qbosync.store.Fault;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;

/**
 * Redelivery decisions for transient QBO faults (route {@code qbo-errors-transient}), used as its
 * {@code retryWhile}:
 * <ul>
 * <li>Throttling (429/3001) waits at least QBO's {@code Retry-After}; 5xx, gateway pages and timeouts back off
 * exponentially ({@code sync.retry.initial-delay-ms} doubling up to {@code sync.retry.max-delay-ms}), for at most
 * {@code sync.retry.max-redeliveries} redeliveries. The delay goes to Camel in header {@code CamelRedeliveryDelay}.</li>
 * <li>An ambiguous create (no answer, or a 5xx, after the request was sent) is reconciled before it is sent again:
 * if QBO already has the entity ({@link WriteReconciler}), redelivery stops and the record is linked to it
 * ({@link #linkReconciled}). So even a QBO that ignores {@code requestid} gets no duplicate.</li>
 * </ul>
 * Deterministic faults never reach this class: the route only takes {@code TRANSIENT} faults.
 */
@Component("transientRetry")
public class TransientRetry {

    private static final Logger LOG = LoggerFactory.getLogger(TransientRetry.class);

    /** Exchange property: transient failures of this exchange so far. */
    static final String FAILURES = "syncTransientFailures";

    private final WriteReconciler reconciler;
    private final FaultOutcomes outcomes;
    private final ObjectMapper json;

    public TransientRetry(WriteReconciler reconciler, FaultOutcomes outcomes, QboGateway qbo) {
        this.reconciler = reconciler;
        this.outcomes = outcomes;
        this.json = qbo.mapper();
    }

    /**
     * Called by Camel after each transient failure: true to redeliver (after the delay set in
     * {@code CamelRedeliveryDelay}), false to stop (attempts used up, or the create was found in QBO).
     */
    public boolean shouldRetry(Exchange exchange, int maxRedeliveries, long initialDelayMs, long maxDelayMs) {
        int failures = exchange.getProperty(FAILURES, 0, Integer.class) + 1;
        exchange.setProperty(FAILURES, failures);
        Exception caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        QboFaultException fault = caught instanceof QboFaultException q ? q : null;
        if (fault != null && fault.ambiguous()) {
            Optional<Map<String, Object>> existing = reconcile(exchange);
            if (existing.isPresent()) {
                exchange.setProperty(SyncHeaders.RECONCILED, existing.get());
                return false;
            }
        }
        if (failures > maxRedeliveries) {
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delayMs(fault, failures, initialDelayMs, maxDelayMs));
        return true;
    }

    /** Ends the record as synced to the entity {@link #shouldRetry} found in QBO. */
    public List<SyncMessage> linkReconciled(Exchange exchange) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.of(exchange, json);
            @SuppressWarnings("unchecked")
            Map<String, Object> entity = exchange.getProperty(SyncHeaders.RECONCILED, Map.class);
            return outcomes.synced(w.work(), entity, "RECONCILED", Fault.of("RECONCILED", "The answer to the create was"
                    + " lost (" + (w.fault() == null ? "no answer" : w.fault().getMessage()) + "); QBO " + w.qboEntity()
                    + " " + entity.get("Id") + " was found by its marker and linked instead of creating it again", "None."));
        });
    }

    /**
     * Ends the record FAILED with the last transient fault once redeliveries are used up. HTML error pages and
     * transport errors carry no QBO code, so one is made up from what happened ({@code HTTP_503}, {@code NO_ANSWER}):
     * every failed record must say why.
     */
    public List<SyncMessage> failExhausted(Exchange exchange, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.of(exchange, json);
            if (w.work() == null) {
                return List.of();
            }
            QboFaultException f = w.fault();
            if (f == null) {
                return outcomes.fail(w.work(), Fault.of("INTERNAL_ERROR", String.valueOf(
                        exchange.getProperty(Exchange.EXCEPTION_CAUGHT)), action));
            }
            String code = f.code() != null ? f.code() : f.httpStatus() > 0 ? "HTTP_" + f.httpStatus() : "NO_ANSWER";
            int failures = exchange.getProperty(FAILURES, 0, Integer.class);
            String message = (f.faultMessage() == null ? f.getMessage() : f.faultMessage())
                    + " (" + failures + " attempts)";
            return outcomes.fail(w.work(), new Fault(code, message, f.detail(), f.element(), f.intuitTid(), action));
        });
    }

    /**
     * The delay before redelivery {@code failure} (1 = the first): exponential from {@code initialDelayMs}, capped
     * at {@code maxDelayMs}; never shorter than QBO's Retry-After, even above the cap, because QBO refuses earlier
     * calls anyway.
     */
    public static long delayMs(QboFaultException fault, int failure, long initialDelayMs, long maxDelayMs) {
        double exponential = initialDelayMs * Math.pow(2, Math.max(0, failure - 1));
        long delay = (long) Math.min(exponential, maxDelayMs);
        if (fault != null && fault.retryAfter().isPresent()) {
            delay = Math.max(delay, fault.retryAfter().get().toMillis());
        }
        return Math.max(0, delay);
    }

    private Optional<Map<String, Object>> reconcile(Exchange exchange) {
        FailedWrite w = FailedWrite.of(exchange, json);
        if (w.work() == null || !w.isCreate()) {
            // Updates and voids are safe to repeat: a second application changes nothing (or meets 5010).
            return Optional.empty();
        }
        try {
            Optional<Map<String, Object>> found = reconciler.find(w.work(), w.body());
            found.ifPresent(e -> LOG.warn("Create of {} had no answer, but QBO {} {} carries it: linking instead of"
                    + " sending it again", w.sourceName(), w.qboEntity(), e.get("Id")));
            return found;
        } catch (RuntimeException lookupFailed) {
            // QBO is still unwell: send again with the same requestid, which QBO answers from its replay log.
            LOG.debug("Could not reconcile {} before resending: {}", w.sourceName(), lookupFailed.toString());
            return Optional.empty();
        }
    }
}
