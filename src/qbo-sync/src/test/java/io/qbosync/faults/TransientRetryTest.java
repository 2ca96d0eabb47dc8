package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.qbosync.component.qbo.QboError;
import io.qbosync.component.qbo.QboFaultException;

class TransientRetryTest {

    private static QboFaultException throttled(Duration retryAfter) {
        return new QboFaultException(429, "SERVICE", List.of(new QboError("3001",
                "message=ThrottleExceeded; errorCode=003001; statusCode=429", null, null)), null, retryAfter, false,
                "1", null, null);
    }

    private static QboFaultException serverError() {
        return new QboFaultException(503, "HTML", List.of(new QboError(null, "503 Service Unavailable", null, null)),
                null, null, true, "1", "qs-1-create-abc", null);
    }

    @Test
    void serverErrorsBackOffExponentiallyUpToTheCap() {
        assertThat(TransientRetry.delayMs(serverError(), 1, 1000, 60_000)).isEqualTo(1000);
        assertThat(TransientRetry.delayMs(serverError(), 2, 1000, 60_000)).isEqualTo(2000);
        assertThat(TransientRetry.delayMs(serverError(), 4, 1000, 60_000)).isEqualTo(8000);
        assertThat(TransientRetry.delayMs(serverError(), 10, 1000, 60_000)).isEqualTo(60_000);
        assertThat(TransientRetry.delayMs(null, 1, 100, 800)).isEqualTo(100);
    }

    @Test
    void throttlingWaitsAtLeastRetryAfterEvenAboveTheCap() {
        assertThat(TransientRetry.delayMs(throttled(Duration.ofSeconds(30)), 1, 1000, 60_000)).isEqualTo(30_000);
        assertThat(TransientRetry.delayMs(throttled(Duration.ofSeconds(90)), 1, 1000, 60_000)).isEqualTo(90_000);
        // A Retry-After shorter than the backoff does not shorten it.
        assertThat(TransientRetry.delayMs(throttled(Duration.ofSeconds(1)), 4, 1000, 60_000)).isEqualTo(8000);
        assertThat(TransientRetry.delayMs(throttled(null), 1, 1000, 60_000)).isEqualTo(1000);
    }

    @Test
    void repairsGetTheirOwnDeterministicRequestIdWithinQbosLimit() {
        assertThat(RepairWriter.derivedRequestId("qs-12-create-0a1b2c3d4e5f", "sfx"))
                .isEqualTo("qs-12-create-0a1b2c3d4e5f-sfx");
        String longId = "qs-1234567890-update-0a1b2c3d4e5f-" + "x".repeat(20);
        String derived = RepairWriter.derivedRequestId(longId, "tok3");
        assertThat(derived).hasSize(RepairWriter.MAX_REQUEST_ID).endsWith("-tok3")
                .isEqualTo(RepairWriter.derivedRequestId(longId, "tok3"));
        assertThat(RepairWriter.derivedRequestId(null, "len1")).startsWith("qs-").endsWith("-len1");
    }

    @Test
    void aMarkerMatchesOnlyItsOwnSourceRecord() {
        assertThat(WriteReconciler.carriesMarker(Map.of("PrivateNote", "qbo-sync:I-1"), "I-1")).isTrue();
        assertThat(WriteReconciler.carriesMarker(Map.of("PrivateNote", "qbo-sync:I-1 Gala table"), "I-1")).isTrue();
        assertThat(WriteReconciler.carriesMarker(Map.of("PrivateNote", "qbo-sync:I-10"), "I-1")).isFalse();
        assertThat(WriteReconciler.carriesMarker(Map.of("PrivateNote", "typed by hand"), "I-1")).isFalse();
        assertThat(WriteReconciler.carriesMarker(Map.of(), "I-1")).isFalse();
    }
}
