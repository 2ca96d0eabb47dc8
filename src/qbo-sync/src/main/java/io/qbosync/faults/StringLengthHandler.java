package io.qbosync.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.QboError;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.gateway.QboGateway;
import io.qbosync.component.qbo.QboFaultFamily;
import io.qbosync.faults.FieldLengthPolicy.Choice;
import io.qbosync.faults.FieldLengthPolicy.Limit;
import io.qbosync.store.Fault;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;

/**
 * QBO 2050 "String length is either shorter or longer than supported" (route {@code qbo-errors-string-length}).
 * QBO names the field ({@code element}) and its maximum ({@code Max:4,000} in the detail). Per field the policy
 * says {@code truncate} or {@code fail} (see {@link FieldLengthPolicy}): when every field QBO refused may be cut,
 * the write is repeated with those values shortened (ending in the marker) and the synced record notes which fields
 * were cut; otherwise the record fails with a message naming the field, its length and QBO's limit.
 */
@Component("stringLengthHandler")
public class StringLengthHandler {

    /** Rounds of cut-and-retry: QBO may report one field at a time. */
    static final int MAX_ROUNDS = 3;

    private final RepairWriter writer;
    private final FaultOutcomes outcomes;
    private final ObjectMapper json;

    public StringLengthHandler(QboGateway qbo, RepairWriter writer, FaultOutcomes outcomes) {
        this.json = qbo.mapper();
        this.writer = writer;
        this.outcomes = outcomes;
    }

    /**
     * Applies the per-field policy {@code fieldPolicy} ({@code PrivateNote=truncate,…,*=fail}); {@code marker} ends
     * every shortened value.
     */
    public List<SyncMessage> apply(Exchange exchange, @Header(SyncHeaders.FIELD_POLICY) String fieldPolicy,
            @Header(SyncHeaders.TRUNCATION_MARKER) String marker, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            if (w.work() == null || w.fault() == null) {
                return List.of();
            }
            FieldLengthPolicy policy;
            try {
                policy = FieldLengthPolicy.parse(fieldPolicy);
            } catch (IllegalArgumentException e) {
                return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), "sync.errors.string-length.fields is"
                        + " invalid: " + e.getMessage(), "Fix the property (field=truncate|fail,…), then resync."));
            }
            if (w.intent() == null) {
                return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), action));
            }
            ObjectNode body = w.bodyCopy();
            List<String> cuts = new ArrayList<>();
            QboFaultException current = w.fault();
            try {
                for (int round = 1; round <= MAX_ROUNDS; round++) {
                    for (QboError error : current.errors()) {
                        Optional<Fault> refusal = cut(w, body, error, policy, marker, cuts, current, action);
                        if (refusal.isPresent()) {
                            return outcomes.fail(w.work(), refusal.get());
                        }
                    }
                    try {
                        return outcomes.synced(w.work(), writer.write(w, body, "len" + round), null, Fault.of("TRUNCATED",
                                "Shortened for QBO: " + String.join("; ", cuts),
                                "None, unless the full text matters: then shorten it in the source system."));
                    } catch (QboFaultException e) {
                        if (e.family() != QboFaultFamily.STRING_TOO_LONG) {
                            throw e;
                        }
                        current = e;
                    }
                }
                return outcomes.fail(w.work(), FaultOutcomes.fault(current, action));
            } catch (QboFaultException e) {
                return outcomes.repairFailed(w.work(), e, action);
            }
        });
    }

    /** Cuts the field of one 2050 error in {@code body}; a refusal when the policy or the error does not allow it. */
    private static Optional<Fault> cut(FailedWrite w, ObjectNode body, QboError error, FieldLengthPolicy policy,
            String marker, List<String> cuts, QboFaultException fault, String action) {
        if (!QboFaultFamily.STRING_TOO_LONG.hasCode(error.code())) {
            // Another kind of error in the same fault: cutting text would not make the write pass.
            return Optional.of(new Fault(error.code(), error.message(), error.detail(), error.element(),
                    fault.intuitTid(), action));
        }
        String field = error.element() == null || error.element().isBlank() ? null : error.element();
        Optional<Limit> limit = FieldLengthPolicy.limit(error.detail());
        String what = w.qboEntity() + " field " + (field == null ? "(not named by QBO)" : field) + " of "
                + w.sourceName();
        if (limit.isEmpty()) {
            return Optional.of(refusal(error, fault, what + " is too long for QBO (no limit in QBO's detail)", action));
        }
        String length = limit.get().supplied() == null ? "too long" : limit.get().supplied() + " characters long";
        String stated = what + " is " + length + "; QBO allows " + limit.get().max();
        if (field == null || policy.choiceFor(field) == Choice.FAIL) {
            return Optional.of(refusal(error, fault, stated, "Shorten " + (field == null ? "the field" : field)
                    + " to at most " + limit.get().max() + " characters in the source system (or set " + field
                    + "=truncate in sync.errors.string-length.fields), then resync."));
        }
        if (FieldLengthPolicy.truncateAt(body, field, limit.get().max(), marker) == 0) {
            return Optional.of(refusal(error, fault, stated + ", but no such value was found in the request", action));
        }
        cuts.add(field + " cut to " + limit.get().max() + " characters"
                + (limit.get().supplied() == null ? "" : " (was " + limit.get().supplied() + ")"));
        return Optional.empty();
    }

    private static Fault refusal(QboError error, QboFaultException fault, String message, String action) {
        return new Fault(error.code(), message, error.detail(), error.element(), fault.intuitTid(), action);
    }
}
