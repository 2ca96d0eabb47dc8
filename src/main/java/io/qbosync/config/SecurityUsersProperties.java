package io.qbosync.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may log in ({@code qbosync.security.*}).
 *
 * <pre>
 * qbosync.security.users[0].name: ops
 * qbosync.security.users[0].password: "{bcrypt}$2a$10$..."   # or {noop}secret; no prefix = plain text
 * qbosync.security.users[0].roles: OPERATOR
 * </pre>
 *
 * @param users                 configured users
 * @param admin                 the built-in {@code admin} user
 * @param failOnDefaultPassword refuse to start while {@code admin} still has the default password (for production)
 */
@ConfigurationProperties("qbosync.security")
public record SecurityUsersProperties(
        @DefaultValue List<User> users,
        @DefaultValue Admin admin,
        @DefaultValue("false") boolean failOnDefaultPassword) {

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
     *                 {@code admin} (logged as a warning at start-up)
     */
    public record Admin(@DefaultValue("true") boolean enabled, String password) {

        @Override
        public String toString() {
            return "Admin[enabled=" + enabled + "]";
        }
    }
}
