package io.qbosync.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.qbosync.component.qbo.QboFaultFamily;

/**
 * Turns a stored fault code into an issue type and names the record actions that fit it. A QBO code's type is its
 * {@link QboFaultFamily}'s (6240 is DUPLICATE_NAME whatever its message); qbo-sync's own codes
 * ({@code ITEM_NOT_FOUND}, {@code DUPLICATE_MATCH}, {@code SOURCE_INVALID}, ...) are their own type. The constants
 * below are the families' issue types, named here for the switch in {@link #actionsFor} and for callers;
 * {@code IssueTypesTest} holds them equal to the families'.
 */
public final class IssueTypes {

    public static final String DUPLICATE_NAME = "DUPLICATE_NAME";
    public static final String DUPLICATE_DOC_NUMBER = "DUPLICATE_DOC_NUMBER";
    public static final String STALE_REFERENCE = "STALE_REFERENCE";
    public static final String STRING_TOO_LONG = "STRING_TOO_LONG";
    public static final String STALE_SYNC_TOKEN = "STALE_SYNC_TOKEN";
    /** The company's connection is gone (401/403, 3200, 3100, 120, 130, 6190, invalid_grant). */
    public static final String AUTH = "AUTH";
    /** 429/3001, 10000, 5xx, gateway pages and lost answers that were still failing when retries ran out. */
    public static final String TRANSIENT_EXHAUSTED = "TRANSIENT_EXHAUSTED";
    /** Any other QBO validation or business-rule code (2020, 2010, 6000, 6070, ...); qbo_code says which. */
    public static final String QBO_VALIDATION = "QBO_VALIDATION";
    /** Several QBO customers fit one source party (qbo-sync's own code, held for a person). */
    public static final String DUPLICATE_MATCH = "DUPLICATE_MATCH";

    /** The {@code /api/records/{id}/{action}} names (the same as in {@code RecordActions}). */
    public static final String RESYNC = "resync";
    public static final String SKIP = "skip";
    public static final String CLEAR_QBO_ID = "clear-qbo-id";
    public static final String MATCH = "match";
    public static final String CREATE = "create";

    /** Codes that are a state, not a problem: they end by themselves or are notes on a synced record. */
    private static final Set<String> NOT_ISSUES = Set.of(SyncRecordRepository.WAITING_FOR_DEPENDENCY, "SKIPPED");

    private IssueTypes() {
    }

    /** Whether a record failed or held with this code is an issue (WAITING_FOR_DEPENDENCY is not: it ends itself). */
    public static boolean isIssue(String faultCode) {
        return faultCode != null && !faultCode.isBlank() && !NOT_ISSUES.contains(faultCode);
    }

    /**
     * The issue type of a fault code: its QBO fault family's ({@link QboFaultFamily#issueType()}), else qbo-sync's own
     * code as it is. Stable, so that the same fault meets the same open issue again.
     */
    public static String typeOf(String faultCode) {
        if (faultCode == null || faultCode.isBlank()) {
            return "UNKNOWN";
        }
        // qbo-sync's own codes are already families of their own; keep them readable as they are.
        return QboFaultFamily.ofCode(faultCode).map(QboFaultFamily::issueType)
                .orElseGet(() -> faultCode.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * The record actions that fit an issue of {@code type} on a record of {@code entity}, in the order a person would
     * try them. Whether one is possible right now also depends on the record's state (see {@code RecordActions}).
     */
    public static List<String> actionsFor(String type, EntityType entity) {
        List<String> actions = new ArrayList<>();
        boolean customer = entity == EntityType.CUSTOMER;
        switch (type) {
            case DUPLICATE_MATCH -> {
                actions.add(MATCH);
                actions.add(CREATE);
            }
            case DUPLICATE_NAME -> {
                if (customer) {
                    actions.add(MATCH);
                    actions.add(CREATE);
                }
                actions.add(RESYNC);
            }
            case STALE_REFERENCE -> {
                actions.add(RESYNC);
                actions.add(CLEAR_QBO_ID);
                if (customer) {
                    actions.add(MATCH);
                    actions.add(CREATE);
                }
            }
            default -> actions.add(RESYNC);
        }
        actions.add(SKIP);
        return actions;
    }
}
