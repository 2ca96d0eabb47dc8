package io.qbosync.config;

import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One security filter chain for the app port and the management port (Spring Boot hands the chain to the
 * management server's child context). Everything needs a login except the Kubernetes probes
 * ({@code /actuator/health/**}, {@code /actuator/info}) and {@code /webhooks/**}, which check their own HMAC
 * signatures.
 *
 * <ul>
 *   <li>ADMIN: Hawtio and Jolokia, actuator writes, and everything below;</li>
 *   <li>OPERATOR: non-GET requests on the app (sync center and {@code /api/**} actions);</li>
 *   <li>VIEWER: GET/HEAD on the app and on the actuator endpoints.</li>
 * </ul>
 *
 * <p>Browsers log in with a form (session cookie) and are CSRF-protected; the token travels in the
 * {@code XSRF-TOKEN} cookie so that Hawtio's JavaScript can send it back. Scripts use HTTP Basic; a Basic request to
 * {@code /api/**} or Jolokia that is not a browser's cross-site request needs no CSRF token (stack.md pitfall 2).
 * Hawtio learns the logged-in user through {@link io.hawt.springboot.security.HawtioSpringSecurityLoginModule}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SecurityUsersProperties.class)
public class SecurityConfig {

    static final String REALM = "qbo-sync";
    /** Session cookie of the app server; the management server keeps {@code JSESSIONID}. */
    static final String APP_SESSION_COOKIE = "QBOSYNC_SESSION";

    @Bean
    InMemoryUserDetailsManager userDetailsService(SecurityUsersProperties properties,
            @Value("${QBOSYNC_ADMIN_PASSWORD:#{null}}") String adminPasswordFromEnv) {
        return new InMemoryUserDetailsManager(ConfiguredUsers.from(properties, adminPasswordFromEnv));
    }

    /**
     * Gives the app server's session cookie its own name. Cookies ignore ports, so with the same name a login on
     * the management port (Hawtio) would overwrite the app port's session cookie and log the user out there. This
     * initializer only reaches the app server; {@code server.servlet.session.cookie.name} still wins when set.
     */
    @Bean
    ServletContextInitializer appSessionCookieName(Environment environment) {
        return servletContext -> {
            if (!environment.containsProperty("server.servlet.session.cookie.name")) {
                servletContext.getSessionCookieConfig().setName(APP_SESSION_COOKIE);
            }
        };
    }

    /** Accepts {@code {bcrypt}}, {@code {noop}} and the other {@code {id}} forms. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** ADMIN includes OPERATOR, which includes VIEWER. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(SyncRole.ADMIN.name()).implies(SyncRole.OPERATOR.name())
                .role(SyncRole.OPERATOR.name()).implies(SyncRole.VIEWER.name())
                .build();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        RequestMatcher readOnly = new OrRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"),
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, "/**"));
        RequestMatcher console = EndpointRequest.to("hawtio", "jolokia");
        RequestMatcher actuator = EndpointRequest.toAnyEndpoint();
        RequestMatcher webhooks = path("/webhooks/**");

        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);

        http.authorizeHttpRequests(auth -> auth
                        // Error pages render whatever status the original request got.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class)).permitAll()
                        .requestMatchers(webhooks, path("/error")).permitAll()
                        .requestMatchers(console).hasRole(SyncRole.ADMIN.name())
                        .requestMatchers(new AndRequestMatcher(actuator, readOnly)).hasRole(SyncRole.VIEWER.name())
                        .requestMatchers(actuator).hasRole(SyncRole.ADMIN.name())
                        .requestMatchers(readOnly).hasRole(SyncRole.VIEWER.name())
                        .anyRequest().hasRole(SyncRole.OPERATOR.name()))
                .formLogin(form -> form.permitAll())
                .httpBasic(httpBasic -> httpBasic.realmName(REALM).authenticationEntryPoint(basic))
                .logout(logout -> logout.permitAll())
                .exceptionHandling(exceptions -> {
                    // Registered as defaults, not as *the* entry point, so the generated login page stays on.
                    registerEntryPoints(exceptions, basic);
                    exceptions.accessDeniedHandler(new LoginFirstAccessDeniedHandler(basic));
                })
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        .ignoringRequestMatchers(webhooks,
                                new AndRequestMatcher(new OrRequestMatcher(path("/api/**"), EndpointRequest.to("jolokia")),
                                        SecurityConfig::isScriptWithBasicAuth)));
        return http.build();
    }

    /**
     * A request carrying HTTP Basic credentials that a browser did not send cross-site. Browsers mark every request
     * with {@code Sec-Fetch-Site}; scripts (curl, Java, Python) do not send it at all.
     */
    static boolean isScriptWithBasicAuth(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    /** Browsers go to the login form, JavaScript gets a bare 401, everything else a Basic challenge. */
    private static void registerEntryPoints(ExceptionHandlingConfigurer<HttpSecurity> exceptions,
            BasicAuthenticationEntryPoint basic) {
        MediaTypeRequestMatcher htmlPage = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        htmlPage.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        // No WWW-Authenticate for XHR: the browser would pop up its own login dialog and cache the credentials.
        exceptions.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest"));
        exceptions.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), htmlPage);
        exceptions.defaultAuthenticationEntryPointFor(basic, AnyRequestMatcher.INSTANCE);
    }

    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }
}
