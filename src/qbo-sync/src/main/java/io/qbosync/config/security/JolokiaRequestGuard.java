package io.qbosync.config.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jolokia.core.util.EscapeUtil;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two rules for Jolokia (the actuator endpoint and Hawtio's forward to it), in the security filter chain so that
 * they hold on both ports:
 * <ol>
 *   <li><b>Same origin only.</b> A request with an {@code Origin} header naming another origin than the one it was
 *       sent to (scheme, host and port, as the server sees them after forwarded headers) is refused with 403.
 *       Hawtio is served from the same origin; scripts send no {@code Origin}. Jolokia's own
 *       {@code <strict-checking/>} cannot say "same origin": it needs the allowed origins spelt out in
 *       {@code jolokia-access.xml} and refuses every request without an {@code Origin} or {@code Referer}, which is
 *       every script.</li>
 *   <li><b>Only reads over GET.</b> A GET (or HEAD) carries no CSRF token and no body, and a link or an image tag
 *       can send one; so only {@code read}, {@code list}, {@code search} and {@code version} may arrive that way,
 *       whether in the path ({@code /jolokia/exec/...}) or in the {@code p} parameter. Everything else is answered
 *       405; it must be a POST with a JSON body, which the CSRF rules cover. The type is parsed with Jolokia's own
 *       path rules ({@link EscapeUtil}, {@link RequestType}), so the guard and Jolokia cannot disagree on it.</li>
 * </ol>
 */
public final class JolokiaRequestGuard extends OncePerRequestFilter {

    /** Request types that change nothing; the only ones accepted without a POST body. */
    static final Set<RequestType> READ_ONLY = EnumSet.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION);
    private static final String JOLOKIA_SEGMENT = "/jolokia";

    private final RequestMatcher jolokiaEndpoint;
    private final RequestMatcher hawtioEndpoint;

    /**
     * @param jolokiaEndpoint matches the Jolokia servlet itself (its path info is what Jolokia parses)
     * @param hawtioEndpoint  matches Hawtio, whose {@code .../hawtio/jolokia/**} is forwarded to Jolokia
     */
    public JolokiaRequestGuard(RequestMatcher jolokiaEndpoint, RequestMatcher hawtioEndpoint) {
        this.jolokiaEndpoint = jolokiaEndpoint;
        this.hawtioEndpoint = hawtioEndpoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String jolokiaPath = jolokiaPath(request);
        if (jolokiaPath == null) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !SameOrigin.matches(origin, request)) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "Jolokia answers its own origin only, not " + origin);
            return;
        }
        String method = request.getMethod();
        if (!"POST".equals(method) && !"OPTIONS".equals(method)) {
            RequestType type = requestType(jolokiaPath, request.getParameter("p"));
            if (type == null || !READ_ONLY.contains(type)) {
                refuse(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Jolokia "
                        + (type == null ? "requests of this kind" : type.getName())
                        + " must be sent as POST with a JSON body; GET carries read, list, search and version only");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The part of the path Jolokia parses, or null when the request does not reach Jolokia. */
    private String jolokiaPath(HttpServletRequest request) {
        if (jolokiaEndpoint.matches(request)) {
            return request.getPathInfo() == null ? "" : request.getPathInfo();
        }
        if (hawtioEndpoint.matches(request)) {
            // Served by the DispatcherServlet, which forwards .../hawtio/jolokia/<rest> to Jolokia with <rest>.
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            int at = path.indexOf(JOLOKIA_SEGMENT + "/");
            if (at < 0) {
                return path.endsWith(JOLOKIA_SEGMENT) ? "" : null;
            }
            return path.substring(at + JOLOKIA_SEGMENT.length());
        }
        return null;
    }

    /** The Jolokia request type of a GET, as Jolokia would parse it; null when Jolokia would reject it. */
    static RequestType requestType(String pathInfo, String pathParameter) {
        String path = pathInfo;
        if (path == null || path.isEmpty() || path.matches("^/+$")) {
            path = pathParameter;
        }
        if (path == null || path.isEmpty()) {
            return RequestType.VERSION;
        }
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        Deque<String> elements = EscapeUtil.extractElementsFromPath(path);
        if (elements.isEmpty()) {
            return RequestType.VERSION;
        }
        try {
            return RequestType.getTypeByName(elements.pop());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        if (status == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", "GET, POST");
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
