package io.qbosync.store;

/**
 * Why a record failed or is held, as stored: QBO's own code, message, detail and element when QBO answered,
 * or one of qbo-sync's codes (e.g. {@code SOURCE_INVALID}, {@code ITEM_NOT_FOUND}) when it never got that far.
 *
 * @param action what a person should do, in words an operator understands
 */
public record Fault(String code, String message, String detail, String element, String intuitTid, String action) {

    public static Fault of(String code, String message, String action) {
        return new Fault(code, message, null, null, null, action);
    }
}
