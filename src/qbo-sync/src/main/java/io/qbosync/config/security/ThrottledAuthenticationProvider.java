package io.qbosync.config.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Bounds what a login costs. Form login and HTTP Basic both go through it; it wraps the provider that checks the
 * password (bcrypt, about 50-100 ms of CPU each):
 * <ol>
 *   <li>a locked-out address-and-user pair is refused at once ({@link LoginThrottledException}, 429);</li>
 *   <li>a user/password pair verified within the cache's TTL is accepted without a new hash check;</li>
 *   <li>an address or a user under lockout is refused at once for anything else;</li>
 *   <li>otherwise the password is checked; a failure is counted, a success is cached.</li>
 * </ol>
 * See {@link LoginThrottle} for the counts and {@link VerifiedCredentialsCache} for the cache.
 */
public final class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwordCheck;
    private final LoginThrottle throttle;
    private final VerifiedCredentialsCache verified;

    public ThrottledAuthenticationProvider(AuthenticationProvider passwordCheck, LoginThrottle throttle,
            VerifiedCredentialsCache verified) {
        this.passwordCheck = passwordCheck;
        this.throttle = throttle;
        this.verified = verified;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String user = attempt.getName();
        Object credentials = attempt.getCredentials();
        if (user == null || credentials == null) {
            return passwordCheck.authenticate(attempt);
        }
        String password = credentials.toString();
        String address = clientAddress(attempt);

        LoginThrottle.Decision decision = throttle.check(address, user);
        if (decision.verdict() == LoginThrottle.Verdict.LOCKED) {
            throw new LoginThrottledException(decision.retryAfter());
        }
        Authentication known = verified.get(user, password);
        if (known != null) {
            return fresh(known, attempt);
        }
        if (decision.verdict() == LoginThrottle.Verdict.VERIFIED_ONLY) {
            throttle.refusedUnchecked(address, user);
            throw new LoginThrottledException(decision.retryAfter());
        }
        Authentication result;
        try {
            result = passwordCheck.authenticate(attempt);
        } catch (BadCredentialsException e) {
            throttle.failed(address, user);
            throw e;
        }
        if (result != null && result.isAuthenticated()) {
            Authentication withoutCredentials = fresh(result, attempt);
            verified.put(user, password, withoutCredentials);
            throttle.succeeded(address, user);
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwordCheck.supports(authentication);
    }

    /** A new token for this request: same principal and authorities, this request's details, no credentials. */
    private static Authentication fresh(Authentication verified, Authentication attempt) {
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.authenticated(
                verified.getPrincipal(), null, verified.getAuthorities());
        token.setDetails(attempt.getDetails());
        return token;
    }

    private static String clientAddress(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
    }
}
