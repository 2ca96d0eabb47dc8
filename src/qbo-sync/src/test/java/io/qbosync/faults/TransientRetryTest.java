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
    void throttlingIsDeferredWithItsAttemptsCountedAcrossDeferralsAndABusyBudgetIsNoAttempt() {
        TransientRetry retry = new TransientRetry(null, null, new io.qbosync.gateway.QboGateway(null), null, null);
        org.apache.camel.Exchange deferred = failedWith(throttled(Duration.ofSeconds(3)), 2);
        assertThat(retry.shouldRetry(deferred, 4, 100, 800, true)).isFalse();
        assertThat(deferred.getProperty(io.qbosync.sync.SyncHeaders.DEFER_MS)).isEqualTo(3000L);
        assertThat(deferred.getProperty(TransientRetry.FAILURES)).isEqualTo(3);

        org.apache.camel.Exchange busy = failedWith(new io.qbosync.component.qbo.QboRealmBusyException("1", null,
                Duration.ofMillis(700)), 2);
        assertThat(retry.shouldRetry(busy, 4, 100, 800, true)).isFalse();
        assertThat(busy.getProperty(io.qbosync.sync.SyncHeaders.DEFER_MS)).isEqualTo(700L);
        assertThat(busy.getProperty(TransientRetry.FAILURES)).isEqualTo(2);

        org.apache.camel.Exchange exhausted = failedWith(throttled(Duration.ofSeconds(3)), 4);
        assertThat(retry.shouldRetry(exhausted, 4, 100, 800, true)).isFalse();
        assertThat(exhausted.getProperty(io.qbosync.sync.SyncHeaders.DEFER_MS)).isNull();

        org.apache.camel.Exchange inPlace = failedWith(throttled(Duration.ofSeconds(3)), 0);
        assertThat(retry.shouldRetry(inPlace, 4, 100, 800, false)).isTrue();
        assertThat(inPlace.getIn().getHeader(org.apache.camel.Exchange.REDELIVERY_DELAY)).isEqualTo(3000L);
    }

    private static org.apache.camel.Exchange failedWith(Exception e, int attemptsBefore) {
        org.apache.camel.Exchange x = new org.apache.camel.support.DefaultExchange(
                new org.apache.camel.impl.DefaultCamelContext());
        x.setException(e);
        if (attemptsBefore > 0) {
            x.getIn().setHeader(io.qbosync.sync.SyncHeaders.ATTEMPTS, attemptsBefore);
        }
        return x;
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
