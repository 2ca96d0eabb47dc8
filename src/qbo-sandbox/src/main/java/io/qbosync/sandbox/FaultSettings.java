package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Set;

/**
 * Fault-injection knobs of one realm (or the global default). All off by default. Rates are probabilities
 * in [0, 1]; {@code throttleBurst} counts down as requests are refused.
 */
record FaultSettings(long latencyMs, double error5xxRate, double timeoutAfterCommitRate, int throttleBurst,
                     Integer retryAfterSeconds, boolean throttleXml, boolean rotateRefreshToken,
                     long refreshGraceSeconds, boolean ignoreRequestId, boolean enforceLimits,
                     int requestsPerMinute, int maxConcurrent, Long randomSeed) {

    static final FaultSettings NONE = new FaultSettings(0, 0, 0, 0, null, false, true, 0, false, false, 500, 10, null);

    private static final Set<String> KEYS = Set.of("latencyMs", "error5xxRate", "timeoutAfterCommitRate",
            "throttleBurst", "retryAfterSeconds", "throttleXml", "rotateRefreshToken", "ignoreRequestId",
            "enforceLimits", "requestsPerMinute", "maxConcurrent", "randomSeed", "revokeTokens");

    FaultSettings withThrottleBurst(int n) {
        return new FaultSettings(latencyMs, error5xxRate, timeoutAfterCommitRate, n, retryAfterSeconds, throttleXml,
                rotateRefreshToken, refreshGraceSeconds, ignoreRequestId, enforceLimits, requestsPerMinute,
                maxConcurrent, randomSeed);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("latencyMs", latencyMs);
        o.put("error5xxRate", error5xxRate);
        o.put("timeoutAfterCommitRate", timeoutAfterCommitRate);
        o.put("throttleBurst", throttleBurst);
        if (retryAfterSeconds == null) {
            o.putNull("retryAfterSeconds");
        } else {
            o.put("retryAfterSeconds", retryAfterSeconds);
        }
        o.put("throttleXml", throttleXml);
        ObjectNode rot = o.putObject("rotateRefreshToken");
        rot.put("enabled", rotateRefreshToken);
        rot.put("graceSeconds", refreshGraceSeconds);
        o.put("ignoreRequestId", ignoreRequestId);
        o.put("enforceLimits", enforceLimits);
        o.put("requestsPerMinute", requestsPerMinute);
        o.put("maxConcurrent", maxConcurrent);
        if (randomSeed == null) {
            o.putNull("randomSeed");
        } else {
            o.put("randomSeed", randomSeed);
        }
        return o;
    }

    static FaultSettings fromJson(String json) {
        return json == null || json.isBlank() ? null : NONE.merge(Json.parseObject(json));
    }

    /** These settings with the fields present in {@code patch} replaced; validates ranges. */
    FaultSettings merge(ObjectNode patch) {
        Iterator<String> names = patch.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!KEYS.contains(n)) {
                throw new IllegalArgumentException("unknown fault setting: " + n);
            }
        }
        boolean rotate = rotateRefreshToken;
        long grace = refreshGraceSeconds;
        JsonNode rot = patch.get("rotateRefreshToken");
        if (rot != null && rot.isBoolean()) {
            rotate = rot.booleanValue();
        } else if (rot != null && rot.isObject()) {
            rotate = Json.bool(rot, "enabled", rotate);
            if (rot.has("graceSeconds")) {
                grace = nonNegative(rot.get("graceSeconds"), "rotateRefreshToken.graceSeconds");
            }
        } else if (rot != null && !rot.isNull()) {
            throw new IllegalArgumentException("rotateRefreshToken must be a boolean or {enabled, graceSeconds}");
        }
        return new FaultSettings(
                patch.has("latencyMs") ? nonNegative(patch.get("latencyMs"), "latencyMs") : latencyMs,
                patch.has("error5xxRate") ? rate(patch.get("error5xxRate"), "error5xxRate") : error5xxRate,
                patch.has("timeoutAfterCommitRate") ? rate(patch.get("timeoutAfterCommitRate"), "timeoutAfterCommitRate")
                        : timeoutAfterCommitRate,
                patch.has("throttleBurst") ? (int) nonNegative(patch.get("throttleBurst"), "throttleBurst") : throttleBurst,
                patch.has("retryAfterSeconds") ? (patch.get("retryAfterSeconds").isNull() ? null
                        : (int) nonNegative(patch.get("retryAfterSeconds"), "retryAfterSeconds")) : retryAfterSeconds,
                patch.has("throttleXml") ? Json.bool(patch, "throttleXml", false) : throttleXml,
                rotate, grace,
                patch.has("ignoreRequestId") ? Json.bool(patch, "ignoreRequestId", false) : ignoreRequestId,
                patch.has("enforceLimits") ? Json.bool(patch, "enforceLimits", false) : enforceLimits,
                patch.has("requestsPerMinute") ? positive(patch.get("requestsPerMinute"), "requestsPerMinute")
                        : requestsPerMinute,
                patch.has("maxConcurrent") ? positive(patch.get("maxConcurrent"), "maxConcurrent") : maxConcurrent,
                patch.has("randomSeed") ? (patch.get("randomSeed").isNull() ? null
                        : Long.valueOf(patch.get("randomSeed").asLong())) : randomSeed);
    }

    private static long nonNegative(JsonNode v, String name) {
        if (!v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
        return v.asLong();
    }

    private static int positive(JsonNode v, String name) {
        if (!v.canConvertToInt() || v.asInt() < 1) {
            throw new IllegalArgumentException(name + " must be a positive integer");
        }
        return v.asInt();
    }

    private static double rate(JsonNode v, String name) {
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
            throw new IllegalArgumentException(name + " must be a number between 0 and 1");
        }
        return v.asDouble();
    }
}
