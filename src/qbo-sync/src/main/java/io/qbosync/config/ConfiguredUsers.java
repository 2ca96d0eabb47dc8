package io.qbosync.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.StringUtils;

/**
 * Turns {@link SecurityUsersProperties} into Spring Security users, checking them on the way: every user needs a
 * name, a password in a known encoding and a role, names are unique, and the built-in {@code admin} with its
 * default password is refused in production (and with {@code qbosync.security.fail-on-default-password=true}) and
 * loudly reported in a demo. Plain-text and {@code {noop}} passwords are hashed with bcrypt here, once, so that no
 * password is kept in memory as plain text.
 */
public final class ConfiguredUsers {

    /** Development default of the built-in admin; never fine in production. */
    static final String DEFAULT_ADMIN_PASSWORD = "admin";
    static final String ADMIN_NAME = "admin";

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUsers.class);
    /** Spring Security's DelegatingPasswordEncoder form: {@code {id}encoded}. */
    private static final Pattern ENCODER_PREFIX = Pattern.compile("^\\{([A-Za-z0-9_.@-]+)}(.*)", Pattern.DOTALL);
    private static final String NOOP = "noop";
    /** The ids {@link PasswordEncoderFactories#createDelegatingPasswordEncoder()} knows. */
    private static final Set<String> KNOWN_ENCODINGS = Set.of("bcrypt", "ldap", "MD4", "MD5", NOOP, "pbkdf2",
            "pbkdf2@SpringSecurity_v5_8", "scrypt", "scrypt@SpringSecurity_v5_8", "SHA-1", "SHA-256", "sha256",
            "argon2", "argon2@SpringSecurity_v5_8");

    private static final PasswordEncoder BCRYPT = new BCryptPasswordEncoder();
    /** bcrypt reads at most this many bytes of a password; Spring Security refuses longer ones. */
    private static final int BCRYPT_MAX_BYTES = 72;
    private static final PasswordEncoder DELEGATING = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private ConfiguredUsers() {
    }

    /**
     * Demo or production, as far as the users are concerned.
     *
     * @param production whether this node counts as production ({@link DeploymentMode#production(Environment)})
     * @param reason     why, for the refusal message ({@link DeploymentMode#productionReason(Environment)})
     */
    public record Mode(boolean production, String reason) {

        /** A demo node: the default admin password is allowed with a warning. */
        public static final Mode DEMO = new Mode(false, "");

        public static Mode of(Environment environment) {
            return DeploymentMode.production(environment)
                    ? new Mode(true, DeploymentMode.productionReason(environment))
                    : DEMO;
        }
    }

    /**
     * The users to authenticate against, every password hashed.
     *
     * @param properties           the {@code qbosync.security} settings
     * @param adminPasswordFromEnv {@code QBOSYNC_ADMIN_PASSWORD}, or null when unset
     * @param mode                 demo or production
     * @throws IllegalStateException on an invalid user list
     * @throws UnsafeStartException   on the default admin password where it is refused
     */
    public static List<UserDetails> from(SecurityUsersProperties properties, String adminPasswordFromEnv, Mode mode) {
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
            users.add(user(user.name(), hashed(user.password(), where + " ('" + user.name() + "')"), user.roles()));
        }
        if (properties.admin().enabled() && !names.contains(ADMIN_NAME)) {
            String password = firstText(properties.admin().password(), adminPasswordFromEnv, DEFAULT_ADMIN_PASSWORD);
            String stored = hashed(password, "the password of user 'admin'");
            if (isDefault(stored)) {
                refuseOrWarn(properties, mode);
            }
            users.add(user(ADMIN_NAME, stored, List.of(SyncRole.ADMIN)));
        }
        if (users.isEmpty()) {
            LOG.warn("No users are configured (qbosync.security.users is empty and admin is disabled): nobody can log in");
        }
        return users;
    }

    private static void refuseOrWarn(SecurityUsersProperties properties, Mode mode) {
        String reason = mode.production() ? mode.reason()
                : properties.failOnDefaultPassword() ? "qbosync.security.fail-on-default-password is true" : null;
        if (reason != null) {
            throw new UnsafeStartException("user 'admin' has the default password while " + reason
                    + "; set QBOSYNC_ADMIN_PASSWORD (or qbosync.security.admin.password, ideally {bcrypt}...), or disable"
                    + " the user with qbosync.security.admin.enabled=false");
        }
        LOG.warn("*** User 'admin' has the DEFAULT PASSWORD 'admin'. Fine on a laptop, refused in production: set "
                + "QBOSYNC_ADMIN_PASSWORD (or qbosync.security.admin.password, ideally as {bcrypt}...). ***");
    }

    private static UserDetails user(String name, String storedPassword, List<SyncRole> roles) {
        return User.withUsername(name)
                .password(storedPassword)
                .authorities(roles.stream().map(SyncRole::authority).toArray(String[]::new))
                .build();
    }

    /**
     * The form kept in memory: plain text (no {@code {id}} prefix) and {@code {noop}} become {@code {bcrypt}...};
     * every other known encoding is kept as configured.
     *
     * @throws IllegalStateException for an {@code {id}} no encoder knows (no login could ever match it)
     */
    static String hashed(String password, String what) {
        Matcher prefixed = ENCODER_PREFIX.matcher(password);
        if (!prefixed.matches()) {
            return bcrypt(password, what);
        }
        String id = prefixed.group(1);
        if (NOOP.equals(id)) {
            return bcrypt(prefixed.group(2), what);
        }
        if (!KNOWN_ENCODINGS.contains(id)) {
            throw new IllegalStateException(what + ": unknown password encoding {" + id + "}; use {bcrypt}..., {noop}..."
                    + " or another of " + KNOWN_ENCODINGS);
        }
        return password;
    }

    private static String bcrypt(String plain, String what) {
        if (plain.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            throw new IllegalStateException(what + ": a plain-text password longer than " + BCRYPT_MAX_BYTES
                    + " bytes cannot be hashed with bcrypt; give it hashed, e.g. as {pbkdf2@SpringSecurity_v5_8}...");
        }
        return "{bcrypt}" + BCRYPT.encode(plain);
    }

    /** Also catches {@code admin} given already hashed, e.g. {@code {bcrypt}} of {@code admin}. */
    private static boolean isDefault(String storedPassword) {
        return DELEGATING.matches(DEFAULT_ADMIN_PASSWORD, storedPassword);
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
