package io.qbosync.sandbox;

import java.util.List;

/** A parsed QBO query: {@code SELECT * | COUNT(*) FROM e [WHERE …] [ORDERBY …] [STARTPOSITION n] [MAXRESULTS n]}. */
record QueryStatement(boolean count, String entity, List<Condition> where, List<Order> orderBy,
                      Integer startPosition, Integer maxResults) {

    /** {@code field op value} or {@code field IN (values)}; op is one of = &lt; &gt; &lt;= &gt;= IN LIKE. */
    record Condition(String field, String op, List<Value> values) {
    }

    /** A literal: quoted text, a bare number, or true/false. */
    record Value(String text, boolean quoted) {
    }

    record Order(String field, boolean descending) {
    }
}
