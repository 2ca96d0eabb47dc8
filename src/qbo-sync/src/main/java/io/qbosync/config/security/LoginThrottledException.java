package io.qbosync.config.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** A login refused by a lockout before its password was checked; answered with 429 and {@code Retry-After}. */
public class LoginThrottledException extends AuthenticationException {

    private final transient Duration retryAfter;

    public LoginThrottledException(Duration retryAfter) {
        super("Too many failed logins; try again in " + seconds(retryAfter) + " s");
        this.retryAfter = retryAfter;
    }

    /** How long the lockout still lasts. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up, at least 1 (the form of a {@code Retry-After} header). */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration duration) {
        long millis = Math.max(duration.toMillis(), 1);
        return (millis + 999) / 1000;
    }
}
