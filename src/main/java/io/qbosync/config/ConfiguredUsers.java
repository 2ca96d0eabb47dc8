package io.qbosync.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.util.StringUtils;

/**
 * Turns {@link SecurityUsersProperties} into Spring Security users, checking them on the way: every user needs a
 * name, a password and a role, names are unique, and the built-in {@code admin} with its default password is
 * loudly reported (or refused with {@code qbosync.security.fail-on-default-password=true}).
 */
public final class ConfiguredUsers {

    /** Development default of the built-in admin; never fine in production. */
    static final String DEFAULT_ADMIN_PASSWORD = "admin";
    static final String ADMIN_NAME = "admin";

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUsers.class);
    /** Spring Security's DelegatingPasswordEncoder form: {@code {id}encoded}. */
    private static final Pattern ENCODER_PREFIX = Pattern.compile("^\\{[A-Za-z0-9_.-]+}.*", Pattern.DOTALL);

    private ConfiguredUsers() {
    }

    /**
     * The users to authenticate against.
     *
     * @param properties          the {@code qbosync.security} settings
     * @param adminPasswordFromEnv {@code QBOSYNC_ADMIN_PASSWORD}, or null when unset
     * @throws IllegalStateException on an invalid user list, or on the default admin password when refused
     */
    public static List<UserDetails> from(SecurityUsersProperties properties, String adminPasswordFromEnv) {
        List<UserDetails> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SecurityUsersProperties.User user : properties.users()) {
            String where = "qbosync.security.users[" + users.size() + "]";
            if (!StringUtils.hasText(user.name())) {
                throw new IllegalStateException(where + ".name is missing");
            }
            if (!names.add(user.name())) {
                throw new IllegalStateException(where + ": user '" + user.name() + "' is defined twice");
            }
            if (!StringUtils.hasText(user.password())) {
                throw new IllegalStateException(where + " ('" + user.name() + "'): password is missing");
            }
            if (user.roles().isEmpty()) {
                throw new IllegalStateException(where + " ('" + user.name() + "'): roles is missing (ADMIN, OPERATOR or VIEWER)");
            }
            users.add(user(user.name(), user.password(), user.roles()));
        }
        if (properties.admin().enabled() && !names.contains(ADMIN_NAME)) {
            String password = firstText(properties.admin().password(), adminPasswordFromEnv, DEFAULT_ADMIN_PASSWORD);
            if (isDefault(password)) {
                if (properties.failOnDefaultPassword()) {
                    throw new IllegalStateException("User 'admin' still has the default password; set QBOSYNC_ADMIN_PASSWORD "
                            + "(or qbosync.security.admin.password), or disable it with qbosync.security.admin.enabled=false");
                }
                LOG.warn("*** User 'admin' has the DEFAULT PASSWORD 'admin'. Fine on a laptop, never in production: set "
                        + "QBOSYNC_ADMIN_PASSWORD (or qbosync.security.admin.password, ideally as {bcrypt}...). ***");
            }
            users.add(user(ADMIN_NAME, password, List.of(SyncRole.ADMIN)));
        }
        if (users.isEmpty()) {
            LOG.warn("No users are configured (qbosync.security.users is empty and admin is disabled): nobody can log in");
        }
        return users;
    }

    private static UserDetails user(String name, String password, List<SyncRole> roles) {
        return User.withUsername(name)
                .password(encoded(password))
                .authorities(roles.stream().map(SyncRole::authority).toArray(String[]::new))
                .build();
    }

    /** Plain text without an {@code {id}} prefix is marked {@code {noop}} so the delegating encoder accepts it. */
    static String encoded(String password) {
        return ENCODER_PREFIX.matcher(password).matches() ? password : "{noop}" + password;
    }

    private static boolean isDefault(String password) {
        return DEFAULT_ADMIN_PASSWORD.equals(password) || ("{noop}" + DEFAULT_ADMIN_PASSWORD).equals(password);
    }

    private static String firstText(String... candidates) {
        for (String candidate : candidates) {
            if (StringUtils.hasText(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no candidate has text");
    }
}
