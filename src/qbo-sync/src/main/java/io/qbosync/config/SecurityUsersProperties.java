package io.qbosync.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may log in, and what a login may cost ({@code qbosync.security.*}).
 *
 * <pre>
 * qbosync.security.users[0].name: ops
 * qbosync.security.users[0].password: "{bcrypt}$2a$10$..."   # or {noop}secret; no prefix = plain text
 * qbosync.security.users[0].roles: OPERATOR
 * </pre>
 *
 * @param users                 configured users
 * @param admin                 the built-in {@code admin} user
 * @param failOnDefaultPassword refuse to start while {@code admin} still has the default password, also in a demo
 *                              (production refuses it anyway)
 * @param loginThrottle         lockout after repeated failed logins
 * @param credentialCache       how long a verified Basic credential skips the password hash check
 */
@ConfigurationProperties("qbosync.security")
public record SecurityUsersProperties(
        @DefaultValue List<User> users,
        @DefaultValue Admin admin,
        @DefaultValue("false") boolean failOnDefaultPassword,
        @DefaultValue LoginThrottle loginThrottle,
        @DefaultValue CredentialCache credentialCache) {

    public SecurityUsersProperties {
        users = List.copyOf(users);
    }

    /**
     * A configured user.
     *
     * @param name     login name
     * @param password {@code {bcrypt}...}, {@code {noop}...} or any other Spring Security {@code {id}} form;
     *                 without a prefix the value is taken as plain text
     * @param roles    one or more of ADMIN, OPERATOR, VIEWER
     */
    public record User(String name, String password, @DefaultValue List<SyncRole> roles) {

        public User {
            roles = List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", roles=" + roles + "]";
        }
    }

    /**
     * The built-in {@code admin} user (role ADMIN), for development and first start. A user named {@code admin} in
     * {@code users} replaces it.
     *
     * @param enabled  whether {@code admin} exists
     * @param password its password; unset means the environment variable {@code QBOSYNC_ADMIN_PASSWORD}, else
     *                 {@code admin} (a warning in a demo, a refusal to start in production)
     */
    public record Admin(@DefaultValue("true") boolean enabled, String password) {

        @Override
        public String toString() {
            return "Admin[enabled=" + enabled + "]";
        }
    }

    /**
     * Failed-login lockouts ({@code qbosync.security.login-throttle.*}). Failures are counted per client address,
     * per client address and user, and per user; each count starts with its first failure and lasts one
     * {@code window}. A lockout answers 429 without checking the password until its window ends.
     *
     * @param enabled                  lockouts on
     * @param window                   how long failures are counted and a lockout lasts
     * @param maxFailuresPerIpAndUser  failures of one user from one address before that pair is locked out, even
     *                                 for a password verified a moment ago
     * @param maxFailuresPerIp         failures from one address (any user) before that address is locked out for
     *                                 credentials not verified recently
     * @param maxFailuresPerUser       failures of one user (any address) before that user is locked out for
     *                                 credentials not verified recently; high, since it lets anyone lock a user out
     */
    public record LoginThrottle(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5m") Duration window,
            @DefaultValue("10") int maxFailuresPerIpAndUser,
            @DefaultValue("30") int maxFailuresPerIp,
            @DefaultValue("100") int maxFailuresPerUser) {

        public LoginThrottle {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("qbosync.security.login-throttle.window must be positive");
            }
            if (maxFailuresPerIpAndUser < 1 || maxFailuresPerIp < 1 || maxFailuresPerUser < 1) {
                throw new IllegalArgumentException("qbosync.security.login-throttle.max-failures-* must be 1 or more");
            }
        }
    }

    /**
     * Verified credentials kept in memory ({@code qbosync.security.credential-cache.*}), so that a script sending
     * the same Basic header on every call costs one bcrypt check per {@code ttl}, not one per call.
     *
     * @param ttl        how long a verified user/password pair is trusted without a new hash check (0: no cache)
     * @param maxEntries how many pairs are kept at most
     */
    public record CredentialCache(@DefaultValue("5m") Duration ttl, @DefaultValue("1000") int maxEntries) {

        public CredentialCache {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("qbosync.security.credential-cache.ttl must not be negative");
            }
            if (maxEntries < 1) {
                throw new IllegalArgumentException("qbosync.security.credential-cache.max-entries must be 1 or more");
            }
        }
    }
}
