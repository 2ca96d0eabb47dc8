package io.qbosync.config;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;

/**
 * Answers 401 instead of 403 when a request was refused before anybody logged in. The CSRF check runs before
 * HTTP Basic authentication, so without this an anonymous {@code POST} would get "403 Forbidden" (missing CSRF
 * token) where "401, log in first" is the useful answer. Requests that do carry credentials, and logged-in users,
 * still get 403.
 */
final class LoginFirstAccessDeniedHandler implements AccessDeniedHandler {

    private final AuthenticationEntryPoint entryPoint;
    private final AccessDeniedHandler forbidden = new AccessDeniedHandlerImpl();
    private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

    LoginFirstAccessDeniedHandler(AuthenticationEntryPoint entryPoint) {
        this.entryPoint = entryPoint;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean nobodyLoggedIn = authentication == null || trustResolver.isAnonymous(authentication);
        if (nobodyLoggedIn && request.getHeader("Authorization") == null) {
            entryPoint.commence(request, response, new InsufficientAuthenticationException("Log in first", denied));
        } else {
            forbidden.handle(request, response, denied);
        }
    }
}
