package io.qbosync.matching;

/** Builds QBO query literals safely: QBO wants single quotes escaped with a backslash. */
final class QboQueries {

    private QboQueries() {
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
