package io.qbosync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.store.Fault;
import io.qbosync.store.SyncRecordRepository;

/**
 * Used by the {@code qbo-errors-*} routes: ends the record in hand as FAILED (or HELD) with QBO's own code, message,
 * detail, element and {@code intuit_tid}, plus the action the error route names in header {@value SyncHeaders#ACTION}.
 */
@Component("faultRecorder")
public class FaultRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(FaultRecorder.class);

    private final SyncRecordRepository records;

    public FaultRecorder(SyncRecordRepository records) {
        this.records = records;
    }

    /** Marks the record FAILED with the caught exception's reason and the route's action. */
    public void fail(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, @Header(SyncHeaders.ACTION) String action, Exchange exchange) {
        Fault fault = faultOf(exchange, action);
        if (work == null) {
            LOG.error("Fault outside any record: {} {}", fault.code(), fault.message());
            return;
        }
        records.markFailed(work.record().id(), fault);
        LOG.warn("Failed {} {}: QBO {} {} ({}){}", work.record().entityType(), work.record().sourceId(), fault.code(),
                fault.message(), fault.detail(), fault.intuitTid() == null ? "" : " intuit_tid=" + fault.intuitTid());
    }

    /** Marks the record HELD: it waits for a person's decision (match, create, rename) rather than a resync. */
    public void hold(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, @Header(SyncHeaders.ACTION) String action, Exchange exchange) {
        Fault fault = faultOf(exchange, action);
        records.markHeld(work.record().id(), fault);
        LOG.warn("Held {} {}: {} {}", work.record().entityType(), work.record().sourceId(), fault.code(), fault.message());
    }

    static Fault faultOf(Exchange exchange, String action) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        if (e instanceof QboFaultException qbo) {
            return new Fault(qbo.code(), qbo.faultMessage(), qbo.detail(), qbo.element(), qbo.intuitTid(),
                    action);
        }
        if (e instanceof SyncRejection rejection) {
            return Fault.of(rejection.code(), rejection.getMessage(), action != null ? action : rejection.action());
        }
        return Fault.of("INTERNAL_ERROR", e == null ? "unknown error" : e.toString(), action);
    }
}
