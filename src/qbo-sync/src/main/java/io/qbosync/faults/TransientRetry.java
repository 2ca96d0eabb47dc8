package io.qbosync.faults;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboRealmBusyException;
import io.qbosync.gateway.QboGateway;
import io.qbosync.store.Fault;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncQueues;
import io.qbosync.sync.SyncStore;
import io.qbosync.sync.SyncWork;

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
    private final SyncQueues queues;
    private final ObjectProvider<MeterRegistry> meters;

    public TransientRetry(WriteReconciler reconciler, FaultOutcomes outcomes, QboGateway qbo, SyncQueues queues,
            ObjectProvider<MeterRegistry> meters) {
        this.reconciler = reconciler;
        this.queues = queues;
        this.meters = meters;
        this.outcomes = outcomes;
        this.json = qbo.mapper();
    }

    /**
     * Called by Camel after each transient failure: true to redeliver (after the delay set in
     * {@code CamelRedeliveryDelay}), false to stop (attempts used up, or the create was found in QBO).
     */
    public boolean shouldRetry(Exchange exchange, int maxRedeliveries, long initialDelayMs, long maxDelayMs) {
        return shouldRetry(exchange, maxRedeliveries, initialDelayMs, maxDelayMs, false);
    }

    /**
     * As above; with {@code deferThrottled} a throttled call (QBO's 429/3001, or the company's rate budget busy) is
     * not redelivered in place but put aside: the exchange gets {@link SyncHeaders#DEFER_MS} and false is returned, and
     * the route re-sends the message for later ({@link #defer}), giving the consumer thread to other companies.
     */
    public boolean shouldRetry(Exchange exchange, int maxRedeliveries, long initialDelayMs, long maxDelayMs,
            boolean deferThrottled) {
        Exception caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        QboFaultException fault = caught instanceof QboFaultException q ? q : null;
        Integer before = exchange.getProperty(FAILURES, Integer.class);
        if (before == null) {
            // Attempts made before earlier deferrals count too.
            before = exchange.getIn().getHeader(SyncHeaders.ATTEMPTS, 0, Integer.class);
        }
        // Nothing reached QBO when our own budget said "later": no attempt.
        int failures = fault instanceof QboRealmBusyException ? before : before + 1;
        exchange.setProperty(FAILURES, failures);
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
        long delay = fault instanceof QboRealmBusyException busy ? busy.retryAfter().orElseThrow().toMillis()
                : delayMs(fault, failures, initialDelayMs, maxDelayMs);
        if (deferThrottled && fault != null && fault.throttled()) {
            exchange.setProperty(SyncHeaders.DEFER_MS, delay);
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        return true;
    }

    /**
     * Puts the message in hand back on its queue for {@link SyncHeaders#DEFER_MS} ms, in the consumer's transaction,
     * with the attempts so far. The record stays PENDING with its persisted requestid, so the later attempt is the
     * same write.
     */
    public void defer(Exchange exchange) {
        SyncWork work = exchange.getProperty(SyncHeaders.WORK, SyncWork.class);
        long delay = exchange.getProperty(SyncHeaders.DEFER_MS, Long.class);
        int attempts = exchange.getProperty(FAILURES, 0, Integer.class);
        queues.sendLater(SyncStore.message(work.record()), delay, attempts);
        MeterRegistry registry = meters == null ? null : meters.getIfAvailable();
        if (registry != null) {
            Counter.builder("qbosync.records.deferred").tag("realm", work.realmId())
                    .description("Messages put back on their queue for later because their company is throttled")
                    .register(registry).increment();
        }
        LOG.debug("QBO company {} is throttled: {} {} put back for {} ms ({} attempts so far)", work.realmId(),
                work.record().entityType(), work.record().sourceId(), delay, attempts);
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
