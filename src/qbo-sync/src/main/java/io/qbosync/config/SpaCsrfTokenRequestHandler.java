package io.qbosync.config;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;

/**
 * CSRF tokens for both kinds of browser client: server-rendered forms (login, logout) carry the masked token from
 * the request attribute, while JavaScript clients (Hawtio, the sync center page) copy the raw value of the
 * {@code XSRF-TOKEN} cookie into the {@code X-XSRF-TOKEN} header. The token is loaded on every browser request so
 * that the cookie is always there for them to read. Requests with HTTP Basic credentials get no cookie: a script
 * with a cookie jar would send it back, and a request carrying a cookie loses the scripts' CSRF exemption
 * ({@link SecurityConfig#isScriptWithBasicAuth}).
 */
final class SpaCsrfTokenRequestHandler implements CsrfTokenRequestHandler {

    private final CsrfTokenRequestHandler headerValue = new CsrfTokenRequestAttributeHandler();
    private final CsrfTokenRequestHandler maskedValue = new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
        maskedValue.handle(request, response, csrfToken);
        if (!SecurityConfig.hasBasicCredentials(request)) {
            // Loading the deferred token makes the repository write the cookie.
            csrfToken.get();
        }
    }

    @Override
    public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
        String header = request.getHeader(csrfToken.getHeaderName());
        return (StringUtils.hasText(header) ? headerValue : maskedValue).resolveCsrfTokenValue(request, csrfToken);
    }
}
