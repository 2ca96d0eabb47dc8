package io.qbosync.component.qbo;

import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The governor against the sandbox's real limits and injected 429s. */
class QboThrottlingIT {

    @TempDir
    static Path dir;
    static SandboxFixture fx;

    @BeforeAll
    static void sandbox() {
        fx = SandboxFixture.start(dir);
    }

    @AfterAll
    static void stopSandbox() {
        fx.close();
    }

    @Test
    void theGovernorKeepsConcurrencyWithinTheSandboxLimit() throws Exception {
        String realm = fx.newRealm().realmId();
        fx.faults(realm, "{\"enforceLimits\": true, \"maxConcurrent\": 3, \"latencyMs\": 100}");
        RealmRateGovernor governor = new RealmRateGovernor(500, 0.95, 3, Duration.ofSeconds(60));
        QboClient client = fx.newClient(fx.tokens, governor, 0);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            calls.add(pool.submit(() -> client.query(realm, "select * from Account")));
        }
        for (Future<?> f : calls) {
            f.get(60, TimeUnit.SECONDS); // throws if any call got a 429 (throttle retries are off)
        }
        pool.shutdown();
        RealmRateGovernor.Stats s = governor.stats(realm);
        assertThat(s.granted()).isEqualTo(24);
        assertThat(s.maxInFlight()).isLessThanOrEqualTo(3);
        assertThat(s.permitsWaited()).isPositive();
        assertThat(s.throttled429()).isZero();
    }

    @Test
    void a429WithRetryAfterPausesTheRealmAndIsRetried() {
        String realm = fx.newRealm().realmId();
        fx.faults(realm, "{\"throttleBurst\": 1, \"retryAfterSeconds\": 1}");
        RealmRateGovernor governor = new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(60));
        QboClient client = fx.newClient(fx.tokens, governor, 1);
        long start = System.nanoTime();
        assertThat(client.query(realm, "select * from Account")).isNotEmpty();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMs).as("waited for Retry-After").isGreaterThanOrEqualTo(1000);
        assertThat(governor.stats(realm).throttled429()).isEqualTo(1);
        assertThat(governor.stats(realm).permitsWaited()).isEqualTo(1);
    }

    @Test
    void withoutRetriesThe429SurfacesWithRetryAfterAndOnlyThatRealmWaits() {
        String throttled = fx.newRealm().realmId();
        String other = fx.newRealm().realmId();
        fx.faults(throttled, "{\"throttleBurst\": 1, \"retryAfterSeconds\": 30}");
        RealmRateGovernor governor = new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(60));
        QboClient client = fx.newClient(fx.tokens, governor, 0);
        QboFaultException f = catchThrowableOfType(QboFaultException.class,
                () -> client.query(throttled, "select * from Account"));
        assertThat(f).isNotNull();
        assertThat(f.httpStatus()).isEqualTo(429);
        assertThat(f.throttled()).isTrue();
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(governor.stats(throttled).pausedUntil()).isNotNull();
        assertThat(client.query(other, "select * from Account")).isNotEmpty();
        assertThat(governor.stats(other).permitsWaited()).isZero();
    }

    @Test
    void xmlThrottleFaultAndDefaultBackoff() {
        String realm = fx.newRealm().realmId();
        fx.faults(realm, "{\"throttleBurst\": 1, \"throttleXml\": true, \"retryAfterSeconds\": null}");
        RealmRateGovernor governor = new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(1));
        QboClient client = fx.newClient(fx.tokens, governor, 0);
        // Timed from before the refused call: the pause starts when the 429 arrives, inside that call.
        long start = System.nanoTime();
        QboFaultException f = catchThrowableOfType(QboFaultException.class,
                () -> client.query(realm, "select * from Account"));
        assertThat(f.code()).isEqualTo("3001");
        assertThat(f.retryAfter()).isEmpty();
        assertThat(client.query(realm, "select * from Account")).isNotEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("paused for the configured backoff").isGreaterThanOrEqualTo(1000);
    }
}
