package io.qbosync.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one place that turns a stored fault code into an issue type (its fault family) and names the record actions
 * that fit that family. QBO codes are grouped (6240 is DUPLICATE_NAME whatever its message); qbo-sync's own codes
 * ({@code ITEM_NOT_FOUND}, {@code DUPLICATE_MATCH}, {@code SOURCE_INVALID}, ...) are their own type.
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

    private static final Set<String> AUTH_CODES = Set.of("401", "403", "3200", "3100", "120", "130", "6190",
            "invalid_grant", "EXPIRED", "REVOKED", "QBO_CONNECTION_LOST", "HTTP_401", "HTTP_403");
    private static final Set<String> TRANSIENT_CODES = Set.of("429", "HTTP_429", "3001", "10000", "NO_ANSWER");

    private IssueTypes() {
    }

    /** Whether a record failed or held with this code is an issue (WAITING_FOR_DEPENDENCY is not: it ends itself). */
    public static boolean isIssue(String faultCode) {
        return faultCode != null && !faultCode.isBlank() && !NOT_ISSUES.contains(faultCode);
    }

    /** The issue type of a fault code; stable, so that the same fault meets the same open issue again. */
    public static String typeOf(String faultCode) {
        if (faultCode == null || faultCode.isBlank()) {
            return "UNKNOWN";
        }
        String code = faultCode.trim();
        switch (code) {
            case "6240":
                return DUPLICATE_NAME;
            case "6140":
                return DUPLICATE_DOC_NUMBER;
            case "610":
            case "2500":
                return STALE_REFERENCE;
            case "2050":
                return STRING_TOO_LONG;
            case "5010":
                return STALE_SYNC_TOKEN;
            default:
                break;
        }
        if (AUTH_CODES.contains(code)) {
            return AUTH;
        }
        if (TRANSIENT_CODES.contains(code) || code.matches("HTTP_5\\d\\d")) {
            return TRANSIENT_EXHAUSTED;
        }
        if (code.matches("HTTP_\\d+")) {
            // Any other bare HTTP status without a QBO code (e.g. HTTP_400 with an HTML page).
            return QBO_VALIDATION;
        }
        // A numeric code is QBO's own; 5xx among them are codes, not HTTP statuses (500 is "Unsupported Operation").
        if (code.chars().allMatch(Character::isDigit)) {
            return QBO_VALIDATION;
        }
        // qbo-sync's own codes are already families of their own; keep them readable as they are.
        return code.toUpperCase(Locale.ROOT);
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
