package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.qbosync.testsupport.TestContextProperties;
import io.qbosync.testsupport.TestUsers;
import io.qbosync.testsupport.TestHttp;
import io.qbosync.testsupport.TestHttp.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 1,000 wrong-password Basic requests from 8 threads, all from 127.0.0.1, against a good API client on the same
 * address. The flood costs at most about one address limit of bcrypt checks (then 429 without a check); the good
 * client, whose credentials are in the verified-credentials cache, keeps getting in at its usual speed. The
 * figures are printed for docs/security.md; only a generous bound is asserted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class LoginFloodIT {

    private static final String OPERATOR_PASSWORD = TestUsers.OPERATOR_PASSWORD;
    private static final int FLOOD_REQUESTS = 1_000;
    private static final int FLOOD_THREADS = 8;
    private static final int MAX_FAILURES_PER_IP = 30;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestContextProperties.registerLightContext(registry, dataDir);
        TestUsers.register(registry);
        registry.add("qbosync.security.login-throttle.max-failures-per-ip", () -> MAX_FAILURES_PER_IP);
    }

    @LocalServerPort
    int appPort;

    private final TestHttp http = TestHttp.stateless();

    @Test
    void aBadPasswordFloodCostsFewHashChecksAndDoesNotSlowTheGoodClient() throws Exception {
        // Before: the first call pays the bcrypt check, the following ones hit the cache.
        assertThat(goodCall().status()).isEqualTo(404);
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long started = System.nanoTime();
            assertThat(goodCall().status()).isEqualTo(404);
            before.add(System.nanoTime() - started);
        }

        ConcurrentHashMap<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        List<Long> during = Collections.synchronizedList(new ArrayList<>());
        List<Integer> goodStatuses = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(FLOOD_THREADS + 1);
        long floodStarted;
        try {
            Future<?> good = pool.submit(() -> {
                await(start);
                while (flooding.get()) {
                    long started = System.nanoTime();
                    goodStatuses.add(goodCall().status());
                    during.add(System.nanoTime() - started);
                }
            });
            List<Future<?>> flood = new ArrayList<>();
            for (int t = 0; t < FLOOD_THREADS; t++) {
                flood.add(pool.submit(() -> {
                    await(start);
                    int n;
                    while ((n = sent.getAndIncrement()) < FLOOD_REQUESTS) {
                        // Half against the real admin, half against made-up names.
                        String user = n % 2 == 0 ? "admin" : "guess" + n;
                        int status = http.request(app("/api/no-such-endpoint")).basicAuth(user, "wrong-" + n).get().status();
                        floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            floodStarted = System.nanoTime();
            start.countDown();
            for (Future<?> f : flood) {
                f.get(5, TimeUnit.MINUTES);
            }
            flooding.set(false);
            good.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        long floodMillis = (System.nanoTime() - floodStarted) / 1_000_000;

        int checked = count(floodStatuses, 401);
        int throttled = count(floodStatuses, 429);
        System.out.printf(Locale.ROOT, "LOGIN FLOOD: %d bad-password requests from %d threads in %d ms: %d checked (401),"
                + " %d refused unchecked (429)%n", FLOOD_REQUESTS, FLOOD_THREADS, floodMillis, checked, throttled);
        System.out.printf(Locale.ROOT, "LOGIN FLOOD: good client before the flood: %d calls, median %.2f ms, p99 %.2f ms%n",
                before.size(), millis(before, 50), millis(before, 99));
        System.out.printf(Locale.ROOT, "LOGIN FLOOD: good client during the flood: %d calls, median %.2f ms, p99 %.2f ms%n",
                during.size(), millis(during, 50), millis(during, 99));

        assertThat(checked + throttled).isEqualTo(FLOOD_REQUESTS);
        // The address limit, plus what the threads had in flight when it was reached.
        assertThat(checked).isLessThanOrEqualTo(MAX_FAILURES_PER_IP + FLOOD_THREADS);
        assertThat(goodStatuses).isNotEmpty().containsOnly(404);
        assertThat(millis(during, 99)).isLessThan(1_000);

        // After the flood, from the same address: the good client still gets in; the flooded admin, whose correct
        // password is not in the cache, is refused unchecked, by Basic and by the login form alike.
        assertThat(goodCall().status()).isEqualTo(404);
        Response admin = http.request(app("/api/no-such-endpoint")).basicAuth("admin", "admin-secret").get();
        assertThat(admin.status()).isEqualTo(429);
        assertThat(admin.header("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
        assertThat(formLoginStatus("admin", "admin-secret")).isEqualTo(429);
    }

    private Response goodCall() {
        return http.request(app("/api/no-such-endpoint")).basicAuth("operator", OPERATOR_PASSWORD).get();
    }

    private int formLoginStatus(String user, String password) {
        TestHttp browser = TestHttp.withCookies();
        String login = app("/login");
        browser.request(login).accept("text/html").get();
        return browser.request(login)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", browser.cookie(login, "XSRF-TOKEN").orElseThrow())
                .post("username=" + user + "&password=" + password).status();
    }

    private static int count(ConcurrentHashMap<Integer, AtomicInteger> statuses, int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    private static double millis(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(index, 0)) / 1_000_000.0;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String app(String path) {
        return "http://127.0.0.1:" + appPort + path;
    }
}
