package io.qbosync.config.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.qbosync.config.SecurityUsersProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

class ThrottledAuthenticationProviderTest {

    private static final String GOOD = "198.51.100.1";
    private static final String BAD = "203.0.113.7";

    private final AtomicInteger hashChecks = new AtomicInteger();
    private final ProviderManager manager = manager();

    @Test
    void aRepeatedGoodCredentialCostsOneHashCheckPerTtl() {
        for (int i = 0; i < 50; i++) {
            Authentication result = manager.authenticate(attempt("ops", "secret", GOOD));
            assertThat(result.isAuthenticated()).isTrue();
            assertThat(result.getName()).isEqualTo("ops");
            assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_OPERATOR");
            assertThat(result.getCredentials()).isNull();
            assertThat(((WebAuthenticationDetails) result.getDetails()).getRemoteAddress()).isEqualTo(GOOD);
        }
        assertThat(hashChecks).hasValue(1);
    }

    @Test
    void failuresAreNeverCachedAndEachIsChecked() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> manager.authenticate(attempt("ops", "wrong", GOOD)))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(hashChecks).hasValue(5);
    }

    @Test
    void aLockedOutAddressCostsNoHashCheckButLetsVerifiedCredentialsIn() {
        assertThat(manager.authenticate(attempt("ops", "secret", BAD)).isAuthenticated()).isTrue();
        for (int i = 0; i < 30; i++) {
            int n = i;
            assertThatThrownBy(() -> manager.authenticate(attempt("guess" + n, "x", BAD)))
                    .isInstanceOf(BadCredentialsException.class);
        }
        int checksBefore = hashChecks.get();
        for (int i = 0; i < 200; i++) {
            int n = i;
            assertThatThrownBy(() -> manager.authenticate(attempt("guess" + n, "x", BAD)))
                    .isInstanceOf(LoginThrottledException.class);
        }
        assertThat(hashChecks).as("no hash check under the lockout").hasValue(checksBefore);
        assertThat(manager.authenticate(attempt("ops", "secret", BAD)).isAuthenticated())
                .as("the cached credential of a good client on the same address").isTrue();
        assertThatThrownBy(() -> manager.authenticate(attempt("admin", "admin-secret", BAD)))
                .as("a correct but unverified credential waits for the window").isInstanceOf(LoginThrottledException.class);
        assertThat(manager.authenticate(attempt("admin", "admin-secret", GOOD)).isAuthenticated()).isTrue();
    }

    @Test
    void aLockedOutPairIsRefusedEvenWithTheCachedPassword() {
        assertThat(manager.authenticate(attempt("ops", "secret", BAD)).isAuthenticated()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> manager.authenticate(attempt("ops", "wrong", BAD)))
                    .isInstanceOf(BadCredentialsException.class);
        }
        LoginThrottledException refused = (LoginThrottledException) catchThrowable(
                () -> manager.authenticate(attempt("ops", "secret", BAD)));
        assertThat(refused).isNotNull();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 300L);
        assertThat(manager.authenticate(attempt("ops", "secret", GOOD)).isAuthenticated()).isTrue();
    }

    @Test
    void probingTheCacheFromALockedAddressLocksThePairAfterTenTries() {
        for (int i = 0; i < 30; i++) {
            int n = i;
            assertThatThrownBy(() -> manager.authenticate(attempt("guess" + n, "x", BAD)))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(manager.authenticate(attempt("ops", "secret", GOOD)).isAuthenticated()).isTrue();
        for (int i = 0; i < 10; i++) {
            int n = i;
            assertThatThrownBy(() -> manager.authenticate(attempt("ops", "guess" + n, BAD)))
                    .isInstanceOf(LoginThrottledException.class);
        }
        assertThatThrownBy(() -> manager.authenticate(attempt("ops", "secret", BAD)))
                .as("the right password, cached, no longer helps from that address")
                .isInstanceOf(LoginThrottledException.class);
    }

    private ProviderManager manager() {
        PasswordEncoder delegating = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        PasswordEncoder counting = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return delegating.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                hashChecks.incrementAndGet();
                return delegating.matches(raw, encoded);
            }
        };
        UserDetails ops = User.withUsername("ops").password(delegating.encode("secret")).roles("OPERATOR").build();
        UserDetails admin = User.withUsername("admin").password(delegating.encode("admin-secret")).roles("ADMIN").build();
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(ops, admin);
        DaoAuthenticationProvider passwordCheck = new DaoAuthenticationProvider(users);
        passwordCheck.setPasswordEncoder(counting);
        LoginThrottle throttle = new LoginThrottle(
                new SecurityUsersProperties.LoginThrottle(true, Duration.ofMinutes(5), 10, 30, 100), users::userExists);
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(Duration.ofMinutes(5), 100);
        return new ProviderManager(new ThrottledAuthenticationProvider(passwordCheck, throttle, cache));
    }

    private static Authentication attempt(String user, String password, String address) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(address);
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        token.setDetails(new WebAuthenticationDetails(request));
        return token;
    }
}
