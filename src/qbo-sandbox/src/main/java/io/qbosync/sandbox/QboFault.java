package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A QBO validation or system fault: HTTP status, fault type and one or more errors. */
final class QboFault extends RuntimeException {
    private final int status;
    private final String type;
    private final List<QboError> errors;

    QboFault(int status, String type, List<QboError> errors) {
        super(errors.isEmpty() ? type : errors.get(0).code() + " " + errors.get(0).message(), null, false, false);
        this.status = status;
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    static QboFault validation(QboError error) {
        return new QboFault(400, "ValidationFault", List.of(error));
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    List<QboError> errors() {
        return errors;
    }

    String firstCode() {
        return errors.isEmpty() ? "" : errors.get(0).code();
    }

    /** The inner {@code {"Error":[…],"type":…}} object (used bare inside batch items). */
    ObjectNode faultNode() {
        ObjectNode fault = Json.object();
        ArrayNode list = fault.putArray("Error");
        for (QboError e : errors) {
            ObjectNode o = list.addObject();
            o.put("Message", e.message());
            o.put("Detail", e.detail());
            o.put("code", e.code());
            o.put("element", e.element());
        }
        fault.put("type", type);
        return fault;
    }

    /** The full response envelope {@code {"Fault":{…},"time":…}}. */
    ObjectNode envelope(String time) {
        ObjectNode root = Json.object();
        root.set("Fault", faultNode());
        root.put("time", time);
        return root;
    }
}
