package io.qbosync.config.security;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers 404 to every request under {@code /webhooks}, before Spring Security, whoever sends it. No webhook handler
 * exists yet, and one that does not verify the sender's signature must never be reachable: a path that is open to
 * anonymous callers and exempt from CSRF would be the first thing a new unsigned controller lands on. This filter
 * goes when the signed handler (HMAC over the body, checked before anything is parsed) lands.
 */
public final class UnsignedWebhooksRefusedFilter implements Filter {

    /** The servlet URL pattern it is registered for; it also matches {@code /webhooks} itself. */
    public static final String URL_PATTERN = "/webhooks/*";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ((HttpServletResponse) response).setStatus(HttpServletResponse.SC_NOT_FOUND);
    }
}
