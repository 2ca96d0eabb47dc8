package io.qbosync.config.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

class VerifiedCredentialsCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final VerifiedCredentialsCache cache = new VerifiedCredentialsCache(Duration.ofMinutes(5), 3, now::get);

    @Test
    void onlyTheExactUserAndPasswordHit() {
        Authentication ops = verified("ops");
        cache.put("ops", "secret", ops);

        assertThat(cache.get("ops", "secret")).isSameAs(ops);
        assertThat(cache.get("ops", "secret ")).isNull();
        assertThat(cache.get("ops", "Secret")).isNull();
        assertThat(cache.get("OPS", "secret")).isNull();
        // The length prefix keeps user and password apart: ("op", "ssecret") is another pair.
        assertThat(cache.get("op", "ssecret")).isNull();
    }

    @Test
    void entriesExpireAfterTheTtl() {
        cache.put("ops", "secret", verified("ops"));
        now.addAndGet(Duration.ofMinutes(5).minusNanos(1).toNanos());
        assertThat(cache.get("ops", "secret")).isNotNull();
        now.addAndGet(1);
        assertThat(cache.get("ops", "secret")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theTableIsBoundedAndDropsTheLeastRecentlyVerified() {
        cache.put("a", "1", verified("a"));
        cache.put("b", "2", verified("b"));
        cache.put("c", "3", verified("c"));
        cache.put("a", "1", verified("a"));
        cache.put("d", "4", verified("d"));

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("b", "2")).isNull();
        assertThat(cache.get("a", "1")).isNotNull();
        assertThat(cache.get("d", "4")).isNotNull();
    }

    @Test
    void aZeroTtlTurnsTheCacheOff() {
        VerifiedCredentialsCache off = new VerifiedCredentialsCache(Duration.ZERO, 10, now::get);
        off.put("ops", "secret", verified("ops"));
        assertThat(off.get("ops", "secret")).isNull();
        assertThat(off.size()).isZero();
    }

    private static Authentication verified(String user) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, AuthorityUtils.createAuthorityList("ROLE_VIEWER"));
    }
}
