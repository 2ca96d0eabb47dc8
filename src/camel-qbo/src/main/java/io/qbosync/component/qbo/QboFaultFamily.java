package io.qbosync.component.qbo;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The one list of QBO fault families: which QBO codes belong to which family, which {@code qbo-errors-*} route
 * configuration handles a live fault of the family, and which issue type a stored fault of it opens.
 *
 * <p>A live fault's family is {@link #of(QboFaultException)}: an {@link FaultClass#AUTH} fault is {@link #AUTH}
 * whatever its code; otherwise the five code families (6240, 6140, 610/2500, 5010, 2050) go by code, even when QBO
 * sent them with a 429 or 5xx; every other fault is {@link #TRANSIENT} or {@link #VALIDATION} by its class. So every
 * fault has exactly one family and the route configurations never compete for one.
 *
 * <p>A stored fault's family is {@link #ofCode(String)}: besides QBO's own codes, the codes qbo-sync stores for a
 * fault without one ({@code HTTP_503}, {@code NO_ANSWER}) or for a lost connection ({@code QBO_CONNECTION_LOST},
 * {@code invalid_grant}). Only the fault's code is stored, so a 6000 "unexpected internal error" (transient when live)
 * reads back as {@link #VALIDATION}, and a 3100 outage variant as {@link #AUTH}.
 */
public enum QboFaultFamily {

    /** The company's connection is gone: refresh token refused, or QBO refuses the company after a refresh. */
    AUTH("qbo-errors-auth", "AUTH", Set.of("3200", "3100", "120", "130", "6190"),
            Set.of("401", "403", "HTTP_401", "HTTP_403", "invalid_grant", "EXPIRED", "REVOKED", "QBO_CONNECTION_LOST")),
    /** 6240: the DisplayName is held by a customer, vendor or employee. */
    DUPLICATE_NAME("qbo-errors-duplicate-name", "DUPLICATE_NAME", Set.of("6240"), Set.of()),
    /** 6140: the DocNumber is used by another QBO document. */
    DUPLICATE_DOC_NUMBER("qbo-errors-duplicate-docnumber", "DUPLICATE_DOC_NUMBER", Set.of("6140"), Set.of()),
    /** 610 Object Not Found, 2500 Invalid Reference Id: something the write refers to was deleted or made inactive. */
    STALE_REFERENCE("qbo-errors-stale-reference", "STALE_REFERENCE", Set.of("610", "2500"), Set.of()),
    /** 5010: the update or void carried an older SyncToken than QBO's (transient by class, repaired by re-reading). */
    STALE_SYNC_TOKEN("qbo-errors-stale-synctoken", "STALE_SYNC_TOKEN", Set.of("5010"), Set.of()),
    /** 2050: a text is longer than QBO allows for its field. */
    STRING_TOO_LONG("qbo-errors-string-length", "STRING_TOO_LONG", Set.of("2050"), Set.of()),
    /**
     * Worth redelivering: throttling (429/3001), 10000, 5xx and HTML gateway pages, timeouts, dropped connections.
     * Stored once the redeliveries are used up, hence the issue type.
     */
    TRANSIENT("qbo-errors-transient", "TRANSIENT_EXHAUSTED", Set.of("3001", "10000"),
            Set.of("429", "HTTP_429", "NO_ANSWER")),
    /** Every other deterministic refusal (validation and business rules): the same request fails the same way. */
    VALIDATION("qbo-errors-rejected", "QBO_VALIDATION",
            Set.of("2020", "2010", "2170", "6000", "6070", "6150", "6210", "6540", "4000", "4001", "4002", "500"),
            Set.of());

    /** QBO's code 610: the entity itself does not exist (2500, of the same family, names a reference in the body). */
    public static final String OBJECT_NOT_FOUND = "610";

    /** The families a live fault belongs to by its code alone, whatever its class (AUTH aside). */
    private static final Set<QboFaultFamily> BY_CODE =
            EnumSet.of(DUPLICATE_NAME, DUPLICATE_DOC_NUMBER, STALE_REFERENCE, STALE_SYNC_TOKEN, STRING_TOO_LONG);

    private final String routeConfiguration;
    private final String issueType;
    private final Set<String> qboCodes;
    private final Set<String> storedCodes;

    QboFaultFamily(String routeConfiguration, String issueType, Set<String> qboCodes, Set<String> storedCodes) {
        this.routeConfiguration = routeConfiguration;
        this.issueType = issueType;
        this.qboCodes = qboCodes;
        this.storedCodes = storedCodes;
    }

    /** The family of a live fault; never null. */
    public static QboFaultFamily of(QboFaultException fault) {
        if (fault.faultClass() == FaultClass.AUTH) {
            return AUTH;
        }
        for (QboFaultFamily family : BY_CODE) {
            if (family.hasCode(fault.code())) {
                return family;
            }
        }
        return fault.faultClass() == FaultClass.TRANSIENT ? TRANSIENT : VALIDATION;
    }

    /**
     * The family of a stored fault code, or empty for qbo-sync's own codes ({@code DUPLICATE_MATCH},
     * {@code ITEM_NOT_FOUND}, …), which are no QBO fault.
     */
    public static Optional<QboFaultFamily> ofCode(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        String c = code.trim();
        Optional<QboFaultFamily> listed = Arrays.stream(values())
                .filter(f -> f.qboCodes.contains(c) || f.storedCodes.contains(c)).findFirst();
        if (listed.isPresent()) {
            return listed;
        }
        if (c.matches("HTTP_5\\d\\d")) {
            return Optional.of(TRANSIENT);
        }
        // Any other bare HTTP status (an HTML 400 page), and any other numeric code, is QBO refusing the request;
        // numeric 5xx are QBO codes, not statuses (500 is "Unsupported Operation").
        if (c.matches("HTTP_\\d+") || c.chars().allMatch(Character::isDigit)) {
            return Optional.of(VALIDATION);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code code} is one of the QBO error codes listed for this family (6240 for DUPLICATE_NAME). For
     * TRANSIENT and VALIDATION these are the codes known to be of that class; a live fault's class places the rest.
     */
    public boolean hasCode(String code) {
        return code != null && qboCodes.contains(code);
    }

    /** The QBO error codes listed for this family, as QBO sends them (without what qbo-sync stores in their place). */
    public Set<String> qboCodes() {
        return qboCodes;
    }

    /** Id of the {@code qbo-errors-*} route configuration that handles a live fault of this family. */
    public String routeConfiguration() {
        return routeConfiguration;
    }

    /** The {@code sync_issue.issue_type} a record that ends with a fault of this family opens. */
    public String issueType() {
        return issueType;
    }

}
