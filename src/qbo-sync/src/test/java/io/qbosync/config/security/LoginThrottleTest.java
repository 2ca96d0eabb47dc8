package io.qbosync.config.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.qbosync.config.SecurityUsersProperties;
import io.qbosync.config.security.LoginThrottle.Verdict;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final Set<String> USERS = Set.of("admin", "ops");
    private static final String ATTACKER = "203.0.113.7";
    private static final String OTHER = "198.51.100.1";

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = throttle(true);

    @Test
    void tenFailuresOfOneUserFromOneAddressLockThatPairWhateverThePassword() {
        fail(ATTACKER, "ops", 9);
        assertThat(throttle.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.CHECK);
        fail(ATTACKER, "ops", 1);

        assertThat(throttle.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.LOCKED);
        // The same user from elsewhere, and another user from the same address, are not locked.
        assertThat(throttle.check(OTHER, "ops").verdict()).isEqualTo(Verdict.CHECK);
        assertThat(throttle.check(ATTACKER, "admin").verdict()).isEqualTo(Verdict.CHECK);
    }

    @Test
    void thirtyFailuresFromOneAddressLeaveOnlyRecentlyVerifiedCredentialsIn() {
        for (int i = 0; i < 30; i++) {
            throttle.failed(ATTACKER, "guess" + i);
        }
        LoginThrottle.Decision decision = throttle.check(ATTACKER, "ops");
        assertThat(decision.verdict()).isEqualTo(Verdict.VERIFIED_ONLY);
        assertThat(decision.retryAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.check(ATTACKER, "nobody").verdict()).isEqualTo(Verdict.VERIFIED_ONLY);
        assertThat(throttle.check(OTHER, "ops").verdict()).isEqualTo(Verdict.CHECK);
    }

    @Test
    void aUserFailingFromManyAddressesIsLockedForUnverifiedCredentialsAtTheHighLimit() {
        for (int i = 0; i < 100; i++) {
            throttle.failed("10.0." + (i / 250) + "." + (i % 250), "admin");
        }
        assertThat(throttle.check(OTHER, "admin").verdict()).isEqualTo(Verdict.VERIFIED_ONLY);
        assertThat(throttle.check(OTHER, "ops").verdict()).isEqualTo(Verdict.CHECK);
    }

    @Test
    void attemptsRefusedUncheckedCountForTheirPairOnlySoTheyCannotLockAUserEverywhere() {
        for (int i = 0; i < 30; i++) {
            throttle.failed(ATTACKER, "guess" + i);
        }
        for (int i = 0; i < 500; i++) {
            throttle.refusedUnchecked(ATTACKER, "admin");
        }
        assertThat(throttle.check(ATTACKER, "admin").verdict()).isEqualTo(Verdict.LOCKED);
        assertThat(throttle.check(OTHER, "admin").verdict()).isEqualTo(Verdict.CHECK);
    }

    @Test
    void aLockoutEndsWithItsWindowAndCountsStartAgain() {
        fail(ATTACKER, "ops", 10);
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        LoginThrottle.Decision locked = throttle.check(ATTACKER, "ops");
        assertThat(locked.verdict()).isEqualTo(Verdict.LOCKED);
        assertThat(locked.retryAfter()).isEqualTo(Duration.ofMinutes(1));

        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(throttle.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.CHECK);
        fail(ATTACKER, "ops", 9);
        assertThat(throttle.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.CHECK);
    }

    @Test
    void aSuccessForgivesItsPairButNotTheAddressOrTheUser() {
        fail(ATTACKER, "ops", 9);
        throttle.succeeded(ATTACKER, "ops");
        fail(ATTACKER, "ops", 9);
        assertThat(throttle.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.CHECK);
        fail(ATTACKER, "ops", 12);
        // 30 failures from the address in all: a success of the pair does not reset the address.
        assertThat(throttle.check(ATTACKER, "admin").verdict()).isEqualTo(Verdict.VERIFIED_ONLY);
    }

    @Test
    void userNamesAreCountedCaseInsensitivelyAndUnknownNamesOnlyPerAddress() {
        for (int i = 0; i < 10; i++) {
            throttle.failed(ATTACKER, i % 2 == 0 ? "OPS" : "Ops");
        }
        assertThat(throttle.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.LOCKED);

        LoginThrottle fresh = throttle(true);
        for (int i = 0; i < 29; i++) {
            fresh.failed(ATTACKER, "nobody");
        }
        assertThat(fresh.check(ATTACKER, "nobody").verdict()).isEqualTo(Verdict.CHECK);
        assertThat(fresh.trackedCounts()).as("one address count, no per-user counts for a made-up name").isEqualTo(1);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        assertThat(LoginThrottle.clientKey("2001:db8:1:2:aaaa::1")).isEqualTo(LoginThrottle.clientKey("2001:db8:1:2::ffff"));
        assertThat(LoginThrottle.clientKey("2001:db8:1:2::1")).isNotEqualTo(LoginThrottle.clientKey("2001:db8:1:3::1"));
        assertThat(LoginThrottle.clientKey("[::1]")).isEqualTo(LoginThrottle.clientKey("0:0:0:0:0:0:0:1"));
        assertThat(LoginThrottle.clientKey("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.clientKey(null)).isEqualTo("unknown");
        for (int i = 0; i < 30; i++) {
            throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1), "guess");
        }
        assertThat(throttle.check("2001:db8:1:2::beef", "ops").verdict()).isEqualTo(Verdict.VERIFIED_ONLY);
    }

    @Test
    void disabledMeansEveryAttemptIsChecked() {
        LoginThrottle off = throttle(false);
        for (int i = 0; i < 1000; i++) {
            off.failed(ATTACKER, "ops");
        }
        assertThat(off.check(ATTACKER, "ops").verdict()).isEqualTo(Verdict.CHECK);
        assertThat(off.trackedCounts()).isZero();
    }

    private void fail(String address, String user, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(address, user);
        }
    }

    private LoginThrottle throttle(boolean enabled) {
        return new LoginThrottle(new SecurityUsersProperties.LoginThrottle(enabled, Duration.ofMinutes(5), 10, 30, 100),
                name -> USERS.contains(name.toLowerCase(Locale.ROOT)), now::get);
    }
}
