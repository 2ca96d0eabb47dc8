package io.qbosync.source.sample;

import io.qbosync.source.feed.SourceKind;

import java.time.Instant;
import java.util.List;

/**
 * One record of the {@link MalformedCorpus}: the exact bytes the feed serves, and the outcome the pipeline owes it.
 *
 * @param seq               position in the corpus (0-based)
 * @param template          the template that made it, e.g. {@code invoice-26} (for counting and for reading failures)
 * @param kind              the feed array it is served in
 * @param sourceId          the id the pipeline files it under ({@code SourceIds.of} of the parsed
 *                          bytes: the id itself, or {@code missing-id-…} / {@code invalid-id-…})
 * @param json              the bytes served, byte for byte (may hold invalid UTF-8 inside strings; always one JSON value)
 * @param feedTime          its position in the sample feed (spread over the generated data's timeline)
 * @param problem           the class of bad input
 * @param field             the field path at fault ({@code lines[1].quantity}), or {@code (record)} for the record itself
 * @param expectedCode      the sync store fault code it must end with: {@code SOURCE_INVALID}, {@code BILL_TO_NOT_FOUND}
 *                          or {@code INVOICE_NOT_FOUND}
 * @param expectedFragments texts the stored fault message must contain; each names the record and the field and says
 *                          what is wrong, e.g. {@code payment FZ-P-07-0003: amount must be > 0 (got -12.50)}
 */
public record MalformedRecord(int seq, String template, SourceKind kind, String sourceId, byte[] json, Instant feedTime,
        Problem problem, String field, String expectedCode, List<String> expectedFragments) {

    /** The classes of bad input the corpus covers. */
    public enum Problem {
        MISSING_FIELD, BLANK_FIELD, WRONG_TYPE, NUMBER_AS_STRING, NEGATIVE_AMOUNT, ABSURD_AMOUNT, NON_FINITE_NUMBER,
        TOO_MANY_DECIMALS, OVER_LIMIT, OVER_1MB, BAD_DATE, BAD_ENUM, BAD_EMAIL, UNKNOWN_REFERENCE,
        INVALID_UTF8, CONTROL_CHARACTER, LONE_SURROGATE, LINES_NOT_SUMMING, DUPLICATE_ID, NULL_OR_EMPTY,
        NOT_AN_OBJECT, NESTED_GARBAGE, BAD_ID, SEVERAL_PROBLEMS
    }

    public MalformedRecord {
        expectedFragments = List.copyOf(expectedFragments);
        if (expectedFragments.isEmpty()) {
            throw new IllegalArgumentException("a malformed record must say which error it expects");
        }
    }

    /** The sync store's entity type it is filed as (qbo-sync's {@code EntityType}): contacts and companies are customers. */
    public String storeEntityType() {
        return switch (kind) {
            case CONTACT, COMPANY -> "CUSTOMER";
            case INVOICE -> "INVOICE";
            case PAYMENT -> "PAYMENT";
        };
    }

    /** The sync store's source id for it: {@code contact:<id>} / {@code company:<id>} for parties, else the id. */
    public String storeSourceId() {
        return "CUSTOMER".equals(storeEntityType()) ? kind.wire() + ":" + sourceId : sourceId;
    }

    /**
     * True when a stored outcome is the specific one this record is owed: FAILED, with the expected code, and a
     * message that contains every expected fragment (so it names this record, the field and the problem).
     */
    public boolean isSpecific(String status, String faultCode, String faultMessage) {
        return "FAILED".equals(status) && expectedCode.equals(faultCode) && faultMessage != null
                && expectedFragments.stream().allMatch(faultMessage::contains);
    }

    @Override
    public String toString() {
        return "MalformedRecord[" + seq + " " + template + " " + kind.wire() + " " + shorten(sourceId) + " " + problem
                + " " + field + " -> " + expectedCode + " " + expectedFragments.stream().map(MalformedRecord::shorten).toList() + "]";
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
