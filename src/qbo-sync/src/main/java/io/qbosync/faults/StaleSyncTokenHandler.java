package io.qbosync.faults;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboFaultFamily;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;

/**
 * QBO 5010 "Stale Object Error" (route {@code qbo-errors-stale-synctoken}): the update or void carried an older
 * SyncToken than QBO's, because the entity changed in QBO since qbo-sync last saw it (a payment applied to an
 * invoice raises the invoice's SyncToken; a person edited it). The entity is read again and the same sparse update
 * (or void) is sent with the fresh SyncToken, at most {@code maxAttempts} times; then the record fails with QBO's
 * reason.
 */
@Component("staleSyncTokenHandler")
public class StaleSyncTokenHandler {

    private final QboLookups lookups;
    private final RepairWriter writer;
    private final FaultOutcomes outcomes;
    private final ObjectMapper json;

    public StaleSyncTokenHandler(QboLookups lookups, RepairWriter writer, FaultOutcomes outcomes) {
        this.lookups = lookups;
        this.writer = writer;
        this.outcomes = outcomes;
        this.json = lookups.mapper();
    }

    /** Re-reads the entity and re-applies the write with its current SyncToken, up to {@code maxAttempts} times. */
    public List<SyncMessage> reapply(Exchange exchange, @Header(SyncHeaders.MAX_ATTEMPTS) int maxAttempts,
            @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            if (w.work() == null || w.fault() == null) {
                return List.of();
            }
            String id = w.targetId();
            if (id == null || !("UPDATE".equals(w.intent()) || "VOID".equals(w.intent()))) {
                return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), action));
            }
            QboFaultException last = w.fault();
            try {
                for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                    Optional<Map<String, Object>> current = lookups.read(w.realmId(), w.qboEntity(), id);
                    if (current.isEmpty()) {
                        // Deleted meanwhile: QBO's 610 for this write is the stale-reference family's business.
                        return outcomes.fail(w.work(), FaultOutcomes.fault(last, "QBO " + w.qboEntity() + " " + id + " of "
                                + w.sourceName() + " was deleted in QBO while its SyncToken was being refreshed",
                                "Resync to create it again, or skip the record."));
                    }
                    ObjectNode body = w.bodyCopy();
                    body.put("SyncToken", QboLookups.text(current.get(), "SyncToken"));
                    try {
                        Map<String, Object> written = writer.write(w, body, "tok" + attempt);
                        return outcomes.synced(w.work(), written, null, null);
                    } catch (QboFaultException e) {
                        if (e.family() != QboFaultFamily.STALE_SYNC_TOKEN) {
                            throw e;
                        }
                        last = e;
                    }
                }
                return outcomes.fail(w.work(), FaultOutcomes.fault(last, action));
            } catch (QboFaultException e) {
                return outcomes.repairFailed(w.work(), e, action);
            }
        });
    }
}
