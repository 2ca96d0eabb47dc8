package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Faults produced "at the gateway" (auth, authorization, throttling) in the lower-case envelope QBO uses
 * for them, plus the XML and HTML variants clients must tolerate.
 */
final class GatewayFaults {
    static final String THROTTLE_MESSAGE = "message=ThrottleExceeded; errorCode=003001; statusCode=429";
    static final String THROTTLE_DETAIL = "The request limit was reached.  Try again later";

    private GatewayFaults() {
    }

    static ObjectNode envelope(String message, String detail, String code, String type, long timeMs) {
        ObjectNode root = Json.object();
        root.putNull("warnings");
        root.putNull("intuitObject");
        ObjectNode fault = root.putObject("fault");
        ObjectNode err = fault.putArray("error").addObject();
        err.put("message", message);
        if (detail == null) {
            err.putNull("detail");
        } else {
            err.put("detail", detail);
        }
        err.put("code", code);
        err.putNull("element");
        fault.put("type", type);
        root.putNull("report");
        root.putNull("queryResponse");
        root.putArray("batchItemResponse");
        root.putNull("requestId");
        root.put("time", timeMs);
        return root;
    }

    static ObjectNode unauthorized(String detail, long timeMs) {
        return envelope("message=AuthenticationFailed; errorCode=003200; statusCode=401", detail, "3200",
                "AUTHENTICATION", timeMs);
    }

    static ObjectNode forbidden(long timeMs) {
        return envelope("message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", null, "3100",
                "AUTHORIZATION", timeMs);
    }

    static ObjectNode throttled(long timeMs) {
        return envelope(THROTTLE_MESSAGE, THROTTLE_DETAIL, "3001", "SERVICE", timeMs);
    }

    /**
     * The same fault in the capitalised shape of an XML {@code IntuitResponse}
     * ({@code <Fault type="AUTHENTICATION"><Error code="3200"><Message>…}), for clients that asked for XML.
     */
    static ObjectNode capitalised(ObjectNode gatewayEnvelope, String time) {
        JsonNode fault = gatewayEnvelope.path("fault");
        ObjectNode root = Json.object();
        ObjectNode out = root.putObject("Fault");
        ArrayNode errors = out.putArray("Error");
        for (JsonNode e : fault.path("error")) {
            ObjectNode o = errors.addObject();
            o.put("Message", Json.text(e, "message"));
            o.put("Detail", Json.text(e, "detail"));
            o.put("code", Json.text(e, "code"));
        }
        out.put("type", Json.text(fault, "type"));
        root.put("time", time);
        return root;
    }

    static String throttledXml(String time) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<IntuitResponse xmlns=\"http://schema.intuit.com/finance/v3\" time=\"" + time + "\">"
                + "<Fault type=\"SERVICE\"><Error code=\"3001\"><Message>" + THROTTLE_MESSAGE + "</Message>"
                + "<Detail>" + THROTTLE_DETAIL + "</Detail></Error></Fault></IntuitResponse>";
    }
}
