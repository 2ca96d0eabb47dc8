package io.qbosync.config.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * A lockout is answered {@code 429 Too Many Requests} with {@code Retry-After}, by HTTP Basic and by the login form
 * alike; every other failure keeps its usual answer (401 challenge, redirect to {@code /login?error}).
 */
public final class ThrottledLoginResponses {

    private ThrottledLoginResponses() {
    }

    public static AuthenticationEntryPoint entryPoint(AuthenticationEntryPoint otherwise) {
        return (request, response, failure) -> {
            if (failure instanceof LoginThrottledException throttled) {
                tooManyFailures(response, throttled);
            } else {
                otherwise.commence(request, response, failure);
            }
        };
    }

    public static AuthenticationFailureHandler failureHandler(AuthenticationFailureHandler otherwise) {
        return (request, response, failure) -> {
            if (failure instanceof LoginThrottledException throttled) {
                tooManyFailures(response, throttled);
            } else {
                otherwise.onAuthenticationFailure(request, response, failure);
            }
        };
    }

    static void tooManyFailures(HttpServletResponse response, LoginThrottledException throttled) throws IOException {
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write((throttled.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
