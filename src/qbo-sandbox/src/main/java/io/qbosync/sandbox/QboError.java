package io.qbosync.sandbox;

/** One entry of a QBO {@code Fault.Error} array. {@code element} is "" when QBO names no field. */
record QboError(String code, String message, String detail, String element) {
    QboError {
        element = element == null ? "" : element;
    }
}
