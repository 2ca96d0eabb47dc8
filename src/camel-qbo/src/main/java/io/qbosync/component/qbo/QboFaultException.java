package io.qbosync.component.qbo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A fault answered by QuickBooks Online (or the transport in front of it), with everything QBO said.
 *
 * <p>Carries the HTTP status, the fault {@code type}, the full {@link QboError} list (the first error's code,
 * message, detail and element are exposed directly), Intuit's {@code intuit_tid}, an optional {@code Retry-After},
 * a {@link FaultClass} computed from the fact sheet's table, and the {@link QboFaultFamily} that decides which
 * {@code qbo-errors-*} route configuration handles it. {@link #ambiguous()} is true when a write may have
 * been executed although the caller did not get the answer (timeout, I/O error or 5xx after the request was sent):
 * retry it with the same {@code requestid}.
 *
 * <p>Texts of authentication faults are scrubbed of anything that looks like a token before they are stored.
 */
public class QboFaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Auth codes QBO also sends during an outage (then with a 5xx or an internal-server-error text). */
    private static final Set<String> OUTAGE_PRONE_AUTH_CODES = Set.of("3100", "120");
    /** Codes whose class is deterministic: the deterministic families' QBO codes. */
    private static final Set<String> DETERMINISTIC_CODES = Stream.of(QboFaultFamily.DUPLICATE_NAME,
            QboFaultFamily.DUPLICATE_DOC_NUMBER, QboFaultFamily.STALE_REFERENCE, QboFaultFamily.STRING_TOO_LONG,
            QboFaultFamily.VALIDATION).flatMap(f -> f.qboCodes().stream()).collect(Collectors.toUnmodifiableSet());
    private static final Pattern TXN_ID = Pattern.compile("TxnId\\s*=\\s*([0-9A-Za-z_-]+)");
    private static final Pattern ID = Pattern.compile("(?<![A-Za-z])Id\\s*=\\s*([0-9A-Za-z_-]+)");
    /** Bearer credentials, and long opaque runs (JWTs, refresh tokens) that mix letters and digits. */
    private static final Pattern TOKEN_LIKE =
            Pattern.compile("(?i)bearer\\s+\\S+|[A-Za-z0-9._~+/-]{20,}");

    private final int httpStatus;
    private final String faultType;
    private final List<QboError> errors;
    private final String intuitTid;
    private final Duration retryAfter;
    private final FaultClass faultClass;
    private final boolean ambiguous;
    private final String realmId;
    private final String requestId;

    /**
     * Creates a fault whose class is derived from the HTTP status and the first error's code.
     *
     * @param httpStatus HTTP status, 0 when no answer was received
     * @param faultType  QBO's fault type ({@code ValidationFault}, {@code AUTHENTICATION}, {@code HTML}…), may be null
     * @param errors     QBO's errors, possibly empty
     * @param intuitTid  the {@code intuit_tid} response header, may be null
     * @param retryAfter the {@code Retry-After} delay, may be null
     * @param ambiguous  true when a write may have happened without the caller learning its result
     * @param realmId    the company the request was for, may be null
     * @param requestId  the {@code requestid} sent, may be null
     * @param cause      underlying exception, may be null
     */
    public QboFaultException(int httpStatus, String faultType, List<QboError> errors, String intuitTid,
                             Duration retryAfter, boolean ambiguous, String realmId, String requestId,
                             Throwable cause) {
        this(httpStatus, faultType, errors, intuitTid, retryAfter, null, ambiguous, realmId, requestId, cause);
    }

    /** As the public constructor, with an explicit class (null = derive it). For subclasses. */
    protected QboFaultException(int httpStatus, String faultType, List<QboError> errors, String intuitTid,
                                Duration retryAfter, FaultClass faultClass, boolean ambiguous, String realmId,
                                String requestId, Throwable cause) {
        super(null, cause);
        List<QboError> list = errors == null ? List.of() : List.copyOf(errors);
        FaultClass cls = faultClass != null ? faultClass : classify(httpStatus, list);
        this.errors = cls == FaultClass.AUTH ? scrub(list) : list;
        this.httpStatus = httpStatus;
        this.faultType = faultType;
        this.intuitTid = intuitTid;
        this.retryAfter = retryAfter;
        this.faultClass = cls;
        this.ambiguous = ambiguous;
        this.realmId = realmId;
        this.requestId = requestId;
    }

    /**
     * Classifies a fault per the fact sheet: 429/3001, 5010, 10000 and 5xx are transient; 3200, 3100, 120, 130,
     * 6190 and other 401/403 are auth; known validation and business codes and other 4xx are deterministic.
     */
    public static FaultClass classify(int httpStatus, List<QboError> errors) {
        QboError first = errors == null || errors.isEmpty() ? null : errors.get(0);
        String code = first == null ? null : first.code();
        String text = first == null ? "" : (nz(first.message()) + " " + nz(first.detail())).toLowerCase(Locale.ROOT);
        if (httpStatus == 429 || QboFaultFamily.TRANSIENT.hasCode(code)
                || QboFaultFamily.STALE_SYNC_TOKEN.hasCode(code)) {
            return FaultClass.TRANSIENT;
        }
        boolean outageVariant = httpStatus >= 500 || text.contains("statuscode=500")
                || text.contains("internalservererror");
        if (code != null && OUTAGE_PRONE_AUTH_CODES.contains(code) && outageVariant) {
            return FaultClass.TRANSIENT;
        }
        if (QboFaultFamily.AUTH.hasCode(code)) {
            return FaultClass.AUTH;
        }
        if ("6000".equals(code) && text.contains("unexpected internal error")) {
            return FaultClass.TRANSIENT;
        }
        if (code != null && DETERMINISTIC_CODES.contains(code)) {
            return FaultClass.DETERMINISTIC;
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return FaultClass.AUTH;
        }
        if (httpStatus == 0 || httpStatus == 408 || httpStatus >= 500) {
            return FaultClass.TRANSIENT;
        }
        return FaultClass.DETERMINISTIC;
    }

    /** HTTP status of the answer; 0 when none was received (timeout, I/O error). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The first error's QBO code as a string (e.g. {@code "6240"}), or null. */
    public String code() {
        return errors.isEmpty() ? null : errors.get(0).code();
    }

    /** The first error's QBO message (e.g. "Duplicate Name Exists Error"), or null. */
    public String faultMessage() {
        return errors.isEmpty() ? null : errors.get(0).message();
    }

    /** The first error's detail, or null. */
    public String detail() {
        return errors.isEmpty() ? null : errors.get(0).detail();
    }

    /** The first error's element (the offending field), or null. */
    public String element() {
        return errors.isEmpty() ? null : errors.get(0).element();
    }

    /** Intuit's transaction id ({@code intuit_tid}); quote it to Intuit support. May be null. */
    public String intuitTid() {
        return intuitTid;
    }

    /** QBO's fault type ({@code ValidationFault}, {@code SystemFault}, {@code AUTHENTICATION}, …), or null. */
    public String faultType() {
        return faultType;
    }

    /** Every error QBO returned, in order. */
    public List<QboError> errors() {
        return errors;
    }

    /** The {@code Retry-After} QBO sent with a throttling or outage reply, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Deterministic, transient or auth. */
    public FaultClass faultClass() {
        return faultClass;
    }

    /** The fault family, which decides the {@code qbo-errors-*} route configuration that handles this fault. */
    public QboFaultFamily family() {
        return QboFaultFamily.of(this);
    }

    /** True for QBO 610: the entity read or written does not exist (deleted, merged away, or never was). */
    public boolean objectNotFound() {
        return QboFaultFamily.OBJECT_NOT_FOUND.equals(code());
    }

    /** True for 429 / code 3001. */
    public boolean throttled() {
        return httpStatus == 429 || "3001".equals(code());
    }

    /** True when a write may have been executed although no usable answer came back. */
    public boolean ambiguous() {
        return ambiguous;
    }

    /** The company (realmId) of the request, or null. */
    public String realmId() {
        return realmId;
    }

    /** The {@code requestid} that was sent, or null. */
    public String requestId() {
        return requestId;
    }

    /**
     * The id of the record that already holds the name or document number: {@code Id=58} of a 6240 or
     * {@code TxnId=2137} of a 6140 detail. Empty for other faults or when QBO did not name it.
     */
    public Optional<String> existingId() {
        String code = code();
        if (!QboFaultFamily.DUPLICATE_NAME.hasCode(code) && !QboFaultFamily.DUPLICATE_DOC_NUMBER.hasCode(code)) {
            return Optional.empty();
        }
        for (QboError e : errors) {
            String text = nz(e.detail()) + " " + nz(e.message());
            Matcher txn = TXN_ID.matcher(text);
            if (txn.find()) {
                return Optional.of(txn.group(1));
            }
            Matcher id = ID.matcher(text);
            if (id.find()) {
                return Optional.of(id.group(1));
            }
        }
        return Optional.empty();
    }

    /** Bean-style accessors, so that Camel's simple language ({@code ${exception.code}}) can read them. */
    public String getCode() {
        return code();
    }

    /** Bean-style alias of {@link #httpStatus()}. */
    public int getHttpStatus() {
        return httpStatus;
    }

    /** Bean-style alias of {@link #detail()}. */
    public String getDetail() {
        return detail();
    }

    /** Bean-style alias of {@link #family()}, for the routes' {@code ${exception.family} == 'DUPLICATE_NAME'}. */
    public QboFaultFamily getFamily() {
        return family();
    }

    /** Bean-style alias of {@link #faultClass()}. */
    public FaultClass getFaultClass() {
        return faultClass;
    }

    /** Bean-style alias of {@link #intuitTid()}. */
    public String getIntuitTid() {
        return intuitTid;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder("QBO fault");
        if (code() != null) {
            sb.append(' ').append(code());
        }
        if (faultMessage() != null) {
            sb.append(": ").append(faultMessage());
        }
        if (detail() != null && !detail().isBlank() && !detail().equals(faultMessage())) {
            sb.append(" - ").append(detail());
        }
        sb.append(" (HTTP ").append(httpStatus).append(", ").append(faultClass);
        if (ambiguous) {
            sb.append(", ambiguous");
        }
        if (intuitTid != null) {
            sb.append(", intuit_tid=").append(intuitTid);
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{http=" + httpStatus + ", code=" + code() + ", class=" + faultClass
                + ", type=" + faultType + ", message=" + faultMessage() + ", detail=" + detail()
                + ", element=" + element() + ", intuitTid=" + intuitTid + ", realmId=" + realmId
                + ", requestId=" + requestId + ", ambiguous=" + ambiguous
                + (retryAfter != null ? ", retryAfter=" + retryAfter : "")
                + (errors.size() > 1 ? ", errors=" + errors.size() : "") + "}";
    }

    /** Removes token-looking substrings from a text, for messages that may quote credentials. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return TOKEN_LIKE.matcher(text).replaceAll(m -> {
            String run = m.group();
            boolean bearer = run.regionMatches(true, 0, "bearer", 0, 6);
            boolean opaque = run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter);
            return bearer || opaque ? "[redacted]" : Matcher.quoteReplacement(run);
        });
    }

    private static List<QboError> scrub(List<QboError> errors) {
        return errors.stream()
                .map(e -> new QboError(e.code(), redact(e.message()), redact(e.detail()), e.element()))
                .toList();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
