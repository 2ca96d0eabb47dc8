package io.qbosync.source;

import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourcePayment;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One record of a changes page, as received and as understood.
 *
 * @param kind     which array of the page it came from
 * @param sourceId the record's {@code id}; when the id is missing or not a string, a stable placeholder
 *                 {@code missing-id-<hash of the raw JSON>} so that the same broken record keeps one identity
 * @param raw      the JSON exactly as parsed (kept for the issue list and for re-validation after a fix)
 * @param record   the typed record ({@link SourceContact}, {@link SourceCompany}, {@link SourceInvoice} or
 *                 {@link SourcePayment}); null when {@code errors} is not empty
 * @param errors   one message per problem, each naming the record, the field path and what is wrong
 */
public record SourceItem(SourceKind kind, String sourceId, JsonNode raw, Object record, List<String> errors) {

    public SourceItem {
        errors = List.copyOf(errors);
        if (!errors.isEmpty() && record != null) {
            throw new IllegalArgumentException("an invalid item carries no typed record");
        }
    }

    /** True when the record passed every check and {@link #record()} is set. */
    public boolean valid() {
        return errors.isEmpty();
    }

    /** The typed record as {@code type}; throws when the item is invalid or of another kind. */
    public <T> T recordAs(Class<T> type) {
        if (record == null) {
            throw new IllegalStateException(kind + " " + sourceId + " is invalid: " + errors);
        }
        return type.cast(record);
    }
}
