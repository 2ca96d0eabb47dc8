package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

@ExtendWith(OutputCaptureExtension.class)
class ConfiguredUsersTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void defaultAdminWithDefaultPasswordIsAllowedButLoudlyReported(CapturedOutput output) {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(), null, false), null);

        assertThat(users).extracting(UserDetails::getUsername).containsExactly("admin");
        assertThat(encoder.matches("admin", users.get(0).getPassword())).isTrue();
        assertThat(authorities(users.get(0))).containsExactly("ROLE_ADMIN");
        assertThat(output).contains("WARN").contains("DEFAULT PASSWORD");
    }

    @Test
    void defaultPasswordCanBeRefused() {
        assertThatThrownBy(() -> ConfiguredUsers.from(properties(List.of(), null, true), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QBOSYNC_ADMIN_PASSWORD");
    }

    @Test
    void adminPasswordComesFromTheEnvironmentVariable(CapturedOutput output) {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(), null, true), "from-env");

        assertThat(encoder.matches("from-env", users.get(0).getPassword())).isTrue();
        assertThat(encoder.matches("admin", users.get(0).getPassword())).isFalse();
        assertThat(output).doesNotContain("DEFAULT PASSWORD");
    }

    @Test
    void propertyBeatsEnvironmentVariable() {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(), "from-property", true), "from-env");

        assertThat(encoder.matches("from-property", users.get(0).getPassword())).isTrue();
    }

    @Test
    void configuredUsersKeepTheirEncodingAndRoles() {
        String bcrypt = encoder.encode("s3cret");
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(
                new SecurityUsersProperties.User("ops", bcrypt, List.of(SyncRole.OPERATOR)),
                new SecurityUsersProperties.User("view", "plain", List.of(SyncRole.VIEWER)),
                new SecurityUsersProperties.User("both", "{noop}x", List.of(SyncRole.OPERATOR, SyncRole.VIEWER))),
                "strong", false), null);

        assertThat(users).extracting(UserDetails::getUsername).containsExactly("ops", "view", "both", "admin");
        assertThat(users.get(0).getPassword()).isEqualTo(bcrypt);
        assertThat(encoder.matches("s3cret", users.get(0).getPassword())).isTrue();
        assertThat(users.get(1).getPassword()).isEqualTo("{noop}plain");
        assertThat(encoder.matches("plain", users.get(1).getPassword())).isTrue();
        assertThat(authorities(users.get(2))).containsExactlyInAnyOrder("ROLE_OPERATOR", "ROLE_VIEWER");
    }

    @Test
    void aConfiguredAdminReplacesTheBuiltInOne(CapturedOutput output) {
        List<UserDetails> users = ConfiguredUsers.from(properties(List.of(
                new SecurityUsersProperties.User("admin", "{noop}mine", List.of(SyncRole.ADMIN))), null, true), null);

        assertThat(users).hasSize(1);
        assertThat(encoder.matches("mine", users.get(0).getPassword())).isTrue();
        assertThat(output).doesNotContain("DEFAULT PASSWORD");
    }

    @Test
    void builtInAdminCanBeSwitchedOff() {
        SecurityUsersProperties properties = new SecurityUsersProperties(
                List.of(new SecurityUsersProperties.User("ops", "x", List.of(SyncRole.OPERATOR))),
                new SecurityUsersProperties.Admin(false, null), true);

        assertThat(ConfiguredUsers.from(properties, null)).extracting(UserDetails::getUsername).containsExactly("ops");
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
        ConfiguredUsers.from(properties(List.of(users), "strong", false), null);
    }

    private static SecurityUsersProperties properties(List<SecurityUsersProperties.User> users, String adminPassword,
            boolean failOnDefault) {
        return new SecurityUsersProperties(users, new SecurityUsersProperties.Admin(true, adminPassword), failOnDefault);
    }

    private static List<String> authorities(UserDetails user) {
        return user.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }
}
