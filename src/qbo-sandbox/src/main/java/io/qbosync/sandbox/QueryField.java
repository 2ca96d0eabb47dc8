package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.BiFunction;

/** A property that may appear in a query's WHERE or ORDERBY, with its type and how to read it. */
record QueryField(String name, Kind kind, BiFunction<RealmState, ObjectNode, JsonNode> accessor) {
    enum Kind { ID, STRING, NUMBER, BOOLEAN, DATE, DATETIME, REF }

    static QueryField plain(String name, Kind kind) {
        return new QueryField(name, kind, (realm, node) -> Json.path(node, name));
    }

    static QueryField ref(String name) {
        return new QueryField(name, Kind.REF, (realm, node) -> {
            JsonNode ref = node.get(name);
            return ref == null ? null : ref.get("value");
        });
    }

    JsonNode read(RealmState realm, ObjectNode node) {
        return accessor.apply(realm, node);
    }
}
