package io.hawt.springboot.security;

import java.lang.reflect.Constructor;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import io.hawt.web.auth.AuthenticationConfiguration;
import io.hawt.web.auth.RolePrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Lets Hawtio see who Spring Security logged in. Hawtio 5 switches its Spring Security mode on when a class of
 * exactly this name is on the classpath (normally shipped by {@code hawtio-springboot-security}, which is not
 * available to this build; stack.md pitfall 3). Hawtio then runs a JAAS login with Spring's
 * {@code SecurityContextLoginModule}, which puts the current {@link Authentication} into the subject, followed by
 * this module, which adds one Hawtio role principal per granted authority so that Hawtio's role check
 * ({@code hawtio.roles}) can work.
 *
 * <p>Role names are the authority without {@code ROLE_}, in lower case: {@code ROLE_ADMIN} becomes {@code admin},
 * which Hawtio's default role list ({@code admin,manager,viewer}) already accepts. Spring Security decides first
 * anyway: only ADMIN reaches Hawtio and Jolokia (see {@code io.qbosync.config.SecurityConfig}).
 */
public class HawtioSpringSecurityLoginModule implements LoginModule {

    private static final String ROLE_PREFIX = "ROLE_";

    private Subject subject;
    private Class<? extends Principal> rolePrincipalClass = RolePrincipal.class;
    private final List<Principal> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        // Hawtio passes its configuration; it names the principal class its role check looks for.
        if (options.get(AuthenticationConfiguration.class.getName()) instanceof AuthenticationConfiguration config
                && config.getDefaultRolePrincipalClass() != null) {
            rolePrincipalClass = config.getDefaultRolePrincipalClass();
        }
    }

    /** Nothing to check: Spring Security has authenticated the request before Hawtio runs. */
    @Override
    public boolean login() {
        return true;
    }

    @Override
    public boolean commit() throws LoginException {
        for (Authentication authentication : subject.getPrincipals(Authentication.class)) {
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                String name = authority.getAuthority();
                if (name == null) {
                    continue;
                }
                if (name.startsWith(ROLE_PREFIX)) {
                    name = name.substring(ROLE_PREFIX.length());
                }
                Principal role = rolePrincipal(name.toLowerCase(Locale.ROOT));
                if (subject.getPrincipals().add(role)) {
                    added.add(role);
                }
            }
        }
        return true;
    }

    @Override
    public boolean abort() {
        return removeAdded();
    }

    @Override
    public boolean logout() {
        return removeAdded();
    }

    private boolean removeAdded() {
        if (subject != null) {
            subject.getPrincipals().removeAll(added);
        }
        added.clear();
        return true;
    }

    private Principal rolePrincipal(String name) throws LoginException {
        try {
            Constructor<? extends Principal> constructor = rolePrincipalClass.getConstructor(String.class);
            return constructor.newInstance(name);
        } catch (ReflectiveOperationException e) {
            LoginException failure = new LoginException("Cannot create Hawtio role principal " + rolePrincipalClass.getName());
            failure.initCause(e);
            throw failure;
        }
    }
}
