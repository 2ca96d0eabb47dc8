package io.qbosync.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, instead of sleeping for a guessed time.
 * The deadline only bounds a hang; tests never assert on how fast something happened.
 */
public final class Await {

    /** Generous: CI machines are slow and shared. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Waits until {@code condition} is true; fails with {@code description} after {@link #DEFAULT_TIMEOUT}. */
    public static void until(String description, BooleanSupplier condition) {
        until(description, DEFAULT_TIMEOUT, condition);
    }

    /** Waits until {@code condition} is true; fails with {@code description} after {@code timeout}. */
    public static void until(String description, Duration timeout, BooleanSupplier condition) {
        value(description, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Waits until {@code supplier} returns non-null and returns that value. */
    public static <T> T value(String description, Duration timeout, Supplier<T> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = supplier.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + description);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + description, e);
            }
        }
    }
}
