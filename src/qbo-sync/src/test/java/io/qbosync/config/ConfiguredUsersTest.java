package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

@ExtendWith(OutputCaptureExtension.class)
class ConfiguredUsersTest {

    private static final ConfiguredUsers.Mode DEMO = ConfiguredUsers.Mode.DEMO;
    private static final String REFUSAL_PREFIX = "Refusing to start: user 'admin' has the default password while ";
    private static final String REFUSAL_ADVICE = "; set QBOSYNC_ADMIN_PASSWORD (or qbosync.security.admin.password,"
            + " ideally {bcrypt}...), or disable the user with qbosync.security.admin.enabled=false";

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    // --- the default admin password ------------------------------------------------------------------------------

    @Test
    void defaultAdminWithDefaultPasswordIsAllowedInADemoButLoudlyReported(CapturedOutput output) {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(), null, false), null, DEMO);

        assertThat(users).extracting(UserDetails::getUsername).containsExactly("admin");
        assertThat(encoder.matches("admin", users.get(0).getPassword())).isTrue();
        assertThat(authorities(users.get(0))).containsExactly("ROLE_ADMIN");
        assertThat(output).contains("WARN").contains("DEFAULT PASSWORD");
    }

    @Test
    void defaultPasswordIsRefusedWithARealCompany() {
        MockEnvironment environment = new MockEnvironment().withProperty("qbo.company.realm-id", "9130350000000001");

        assertThatThrownBy(() -> ConfiguredUsers.from(properties(List.of(), null, false), null,
                ConfiguredUsers.Mode.of(environment)))
                .isInstanceOf(UnsafeStartException.class)
                .hasMessage(REFUSAL_PREFIX + "a real QBO company is configured (qbo.company.realm-id=9130350000000001)"
                        + REFUSAL_ADVICE);
    }

    @Test
    void defaultPasswordIsRefusedUnderAProductionProfile() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles("production");

        assertThatThrownBy(() -> ConfiguredUsers.from(properties(List.of(), null, false), null,
                ConfiguredUsers.Mode.of(environment)))
                .hasMessageStartingWith(REFUSAL_PREFIX + "a production profile is active (production)");
    }

    @Test
    void defaultPasswordIsRefusedInProductionWhateverItsEncoding() {
        ConfiguredUsers.Mode production = new ConfiguredUsers.Mode(true, "a production profile is active (prod)");
        for (String admin : List.of("admin", "{noop}admin", "{bcrypt}" + new BCryptPasswordEncoder().encode("admin"))) {
            assertThatThrownBy(() -> ConfiguredUsers.from(properties(List.of(), admin, false), null, production))
                    .as(admin).hasMessageStartingWith(REFUSAL_PREFIX);
            assertThatThrownBy(() -> ConfiguredUsers.from(properties(List.of(), null, false), admin, production))
                    .as("QBOSYNC_ADMIN_PASSWORD=" + admin).hasMessageStartingWith(REFUSAL_PREFIX);
        }
    }

    @Test
    void defaultPasswordCanBeRefusedInADemoToo() {
        assertThatThrownBy(() -> ConfiguredUsers.from(properties(List.of(), null, true), null, DEMO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(REFUSAL_PREFIX + "qbosync.security.fail-on-default-password is true" + REFUSAL_ADVICE);
    }

    @Test
    void productionStartsWithARealAdminPasswordOrWithoutTheBuiltInAdmin(CapturedOutput output) {
        ConfiguredUsers.Mode production = new ConfiguredUsers.Mode(true, "a production profile is active (prod)");

        assertThat(ConfiguredUsers.from(properties(List.of(), null, false), "from-env", production)).hasSize(1);
        SecurityUsersProperties noAdmin = new SecurityUsersProperties(
                List.of(new SecurityUsersProperties.User("ops", "x", List.of(SyncRole.OPERATOR))),
                new SecurityUsersProperties.Admin(false, null), false, throttle(), cache());
        assertThat(ConfiguredUsers.from(noAdmin, null, production)).extracting(UserDetails::getUsername)
                .containsExactly("ops");
        assertThat(output).doesNotContain("DEFAULT PASSWORD");
    }

    @Test
    void modeFollowsTheDeployment() {
        assertThat(ConfiguredUsers.Mode.of(new MockEnvironment())).isEqualTo(DEMO);
        assertThat(ConfiguredUsers.Mode.of(new MockEnvironment().withProperty("qbo.company.realm-id", "1")).production())
                .isTrue();
    }

    // --- where the admin password comes from ---------------------------------------------------------------------

    @Test
    void adminPasswordComesFromTheEnvironmentVariable(CapturedOutput output) {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(), null, true), "from-env", DEMO);

        assertThat(encoder.matches("from-env", users.get(0).getPassword())).isTrue();
        assertThat(encoder.matches("admin", users.get(0).getPassword())).isFalse();
        assertThat(output).doesNotContain("DEFAULT PASSWORD");
    }

    @Test
    void propertyBeatsEnvironmentVariable() {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(), "from-property", true), "from-env", DEMO);

        assertThat(encoder.matches("from-property", users.get(0).getPassword())).isTrue();
    }

    // --- passwords in memory -------------------------------------------------------------------------------------

    @Test
    void plainTextAndNoopPasswordsAreKeptAsBcryptOnly() {
        String bcrypt = encoder.encode("s3cret");
        String pbkdf2 = "{pbkdf2@SpringSecurity_v5_8}"
                + Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("p");
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(
                new SecurityUsersProperties.User("ops", bcrypt, List.of(SyncRole.OPERATOR)),
                new SecurityUsersProperties.User("view", "plain", List.of(SyncRole.VIEWER)),
                new SecurityUsersProperties.User("both", "{noop}x", List.of(SyncRole.OPERATOR, SyncRole.VIEWER)),
                new SecurityUsersProperties.User("old", pbkdf2, List.of(SyncRole.VIEWER))),
                "strong-env", false), null, DEMO);

        assertThat(users).extracting(UserDetails::getUsername).containsExactly("ops", "view", "both", "old", "admin");
        assertThat(users.get(0).getPassword()).isEqualTo(bcrypt);
        assertThat(users.get(3).getPassword()).isEqualTo(pbkdf2);
        for (UserDetails user : List.of(users.get(1), users.get(2), users.get(4))) {
            assertThat(user.getPassword()).as(user.getUsername()).startsWith("{bcrypt}$2a$")
                    .doesNotContain("plain").doesNotContain("{noop}").doesNotContain("strong-env");
        }
        assertThat(encoder.matches("s3cret", users.get(0).getPassword())).isTrue();
        assertThat(encoder.matches("plain", users.get(1).getPassword())).isTrue();
        assertThat(encoder.matches("x", users.get(2).getPassword())).isTrue();
        assertThat(encoder.matches("p", users.get(3).getPassword())).isTrue();
        assertThat(encoder.matches("strong-env", users.get(4).getPassword())).isTrue();
        assertThat(authorities(users.get(2))).containsExactlyInAnyOrder("ROLE_OPERATOR", "ROLE_VIEWER");
    }

    @Test
    void anUnknownPasswordEncodingStopsTheStart() {
        assertThatThrownBy(() -> from(new SecurityUsersProperties.User("ops", "{bcyrpt}$2a$10$x", List.of(SyncRole.VIEWER))))
                .hasMessageContaining("qbosync.security.users[0] ('ops')").hasMessageContaining("{bcyrpt}");
    }

    @Test
    void aPlainTextPasswordTooLongForBcryptStopsTheStart() {
        assertThatThrownBy(() -> from(new SecurityUsersProperties.User("ops", "x".repeat(73), List.of(SyncRole.VIEWER))))
                .hasMessageContaining("qbosync.security.users[0] ('ops')").hasMessageContaining("72 bytes");
    }

    // --- the user list -------------------------------------------------------------------------------------------

    @Test
    void aConfiguredAdminReplacesTheBuiltInOne(CapturedOutput output) {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(
                new SecurityUsersProperties.User("admin", "{noop}mine", List.of(SyncRole.ADMIN))), null, true), null, DEMO);

        assertThat(users).hasSize(1);
        assertThat(encoder.matches("mine", users.get(0).getPassword())).isTrue();
        assertThat(output).doesNotContain("DEFAULT PASSWORD");
    }

    @Test
    void builtInAdminCanBeSwitchedOff() {
        SecurityUsersProperties properties = new SecurityUsersProperties(
                List.of(new SecurityUsersProperties.User("ops", "x", List.of(SyncRole.OPERATOR))),
                new SecurityUsersProperties.Admin(false, null), true, throttle(), cache());

        assertThat(ConfiguredUsers.from(properties, null, DEMO)).extracting(UserDetails::getUsername).containsExactly("ops");
    }

    @Test
    void incompleteOrDuplicateUsersStopTheStart() {
        assertThatThrownBy(() -> from(new SecurityUsersProperties.User("a", "p", List.of())))
                .hasMessageContaining("qbosync.security.users[0]").hasMessageContaining("roles");
        assertThatThrownBy(() -> from(new SecurityUsersProperties.User(" ", "p", List.of(SyncRole.VIEWER))))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> from(new SecurityUsersProperties.User("a", "", List.of(SyncRole.VIEWER))))
                .hasMessageContaining("password");
        assertThatThrownBy(() -> from(new SecurityUsersProperties.User("a", "p", List.of(SyncRole.VIEWER)),
                new SecurityUsersProperties.User("a", "q", List.of(SyncRole.ADMIN))))
                .hasMessageContaining("users[1]").hasMessageContaining("twice");
    }

    @Test
    void userToStringHidesThePassword() {
        assertThat(new SecurityUsersProperties.User("a", "hunter2", List.of(SyncRole.VIEWER)).toString())
                .doesNotContain("hunter2");
        assertThat(new SecurityUsersProperties.Admin(true, "hunter2").toString()).doesNotContain("hunter2");
    }

    private static void from(SecurityUsersProperties.User... users) {
        ConfiguredUsers.from(properties(List.of(users), "strong", false), null, DEMO);
    }

    private static SecurityUsersProperties properties(List<SecurityUsersProperties.User> users, String adminPassword,
            boolean failOnDefault) {
        return new SecurityUsersProperties(users, new SecurityUsersProperties.Admin(true, adminPassword), failOnDefault,
                throttle(), cache());
    }

    static SecurityUsersProperties.LoginThrottle throttle() {
        return new SecurityUsersProperties.LoginThrottle(true, Duration.ofMinutes(5), 10, 30, 100);
    }

    static SecurityUsersProperties.CredentialCache cache() {
        return new SecurityUsersProperties.CredentialCache(Duration.ofMinutes(5), 1000);
    }

    private static List<String> authorities(UserDetails user) {
        return user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }
}
