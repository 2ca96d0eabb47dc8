package io.hawt.springboot.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import io.hawt.web.auth.RolePrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.jaas.SecurityContextLoginModule;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** The JAAS chain Hawtio runs in Spring Security mode: Spring's module, then ours. */
class HawtioSpringSecurityLoginModuleTest {

    /** The same two entries Hawtio's SpringSecurityJAASConfiguration declares. */
    private static final Configuration HAWTIO_LIKE = new Configuration() {
        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return new AppConfigurationEntry[] {
                new AppConfigurationEntry(SecurityContextLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED, Map.of()),
                new AppConfigurationEntry(HawtioSpringSecurityLoginModule.class.getName(), LoginModuleControlFlag.OPTIONAL, Map.of())
            };
        }
    };

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void authoritiesBecomeLowerCaseHawtioRoles() throws LoginException {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "alice", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN", "ROLE_VIEWER")));
        Subject subject = new Subject();
        LoginContext login = new LoginContext("hawtio", subject, null, HAWTIO_LIKE);

        login.login();

        assertThat(subject.getPrincipals(RolePrincipal.class)).extracting(Principal::getName)
                .containsExactlyInAnyOrder("admin", "viewer");
        assertThat(subject.getPrincipals()).extracting(Principal::getName).contains("alice");

        login.logout();
        assertThat(subject.getPrincipals(RolePrincipal.class)).isEmpty();
    }

    @Test
    void withoutASpringLoginThereIsNoHawtioLogin() {
        Subject subject = new Subject();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoginContext("hawtio", subject, null, HAWTIO_LIKE).login())
                .isInstanceOf(LoginException.class);
        assertThat(subject.getPrincipals(RolePrincipal.class)).isEmpty();
    }
}
