package io.qbosync.config;

import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.qbosync.config.security.JolokiaAccessPolicy;
import io.qbosync.config.security.JolokiaRequestGuard;
import io.qbosync.config.security.LoginThrottle;
import io.qbosync.config.security.SameOrigin;
import io.qbosync.config.security.ThrottledAuthenticationProvider;
import io.qbosync.config.security.ThrottledLoginResponses;
import io.qbosync.config.security.UnsignedWebhooksRefusedFilter;
import io.qbosync.config.security.VerifiedCredentialsCache;

/**
 * One security filter chain for the app port and the management port (Spring Boot hands the chain to the
 * management server's child context). Everything needs a login except the Kubernetes probes
 * ({@code /actuator/health/**}, {@code /actuator/info}); {@code /webhooks/**} answers 404 to everyone until a
 * signed handler exists ({@link UnsignedWebhooksRefusedFilter}).
 *
 * <ul>
 *   <li>ADMIN: Hawtio and Jolokia, actuator writes, and everything below;</li>
 *   <li>OPERATOR: non-GET requests on the app (sync center and {@code /api/**} actions);</li>
 *   <li>VIEWER: GET/HEAD on the app and on the actuator endpoints.</li>
 * </ul>
 *
 * <p>Browsers log in with a form (session cookie, SameSite=Lax) and are CSRF-protected; the token travels in the
 * {@code XSRF-TOKEN} cookie so that Hawtio's JavaScript can send it back. Scripts use HTTP Basic; a Basic request to
 * {@code /api/**} or Jolokia that carries no cookie and is not a browser's cross-site request needs no CSRF token
 * (stack.md pitfall 2). What Jolokia may do is decided by {@code jolokia-access.xml} ({@link JolokiaAccessPolicy}),
 * how it may be asked by {@link JolokiaRequestGuard}. Both login kinds go through
 * {@link ThrottledAuthenticationProvider}: failed logins lock out, verified credentials skip the bcrypt check.
 * Hawtio learns the logged-in user through {@link io.hawt.springboot.security.HawtioSpringSecurityLoginModule}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SecurityUsersProperties.class)
public class SecurityConfig {

    static final String REALM = "qbo-sync";
    /** Session cookie of the app server; the management server keeps {@code JSESSIONID}. */
    static final String APP_SESSION_COOKIE = "QBOSYNC_SESSION";
    /** Both session cookies and the XSRF-TOKEN cookie: sent on same-site requests and top-level navigation only. */
    static final String SAME_SITE = "Lax";

    @Bean
    InMemoryUserDetailsManager userDetailsService(SecurityUsersProperties properties,
            @Value("${QBOSYNC_ADMIN_PASSWORD:#{null}}") String adminPasswordFromEnv, Environment environment) {
        return new InMemoryUserDetailsManager(
                ConfiguredUsers.from(properties, adminPasswordFromEnv, ConfiguredUsers.Mode.of(environment)));
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

    /** Ahead of Spring Security, so that nothing under {@code /webhooks} is reachable, not even its login challenge. */
    @Bean
    FilterRegistrationBean<UnsignedWebhooksRefusedFilter> unsignedWebhooksRefused() {
        FilterRegistrationBean<UnsignedWebhooksRefusedFilter> registration =
                new FilterRegistrationBean<>(new UnsignedWebhooksRefusedFilter());
        registration.addUrlPatterns(UnsignedWebhooksRefusedFilter.URL_PATTERN);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 10);
        return registration;
    }

    /** Refuses to start when Jolokia would run without its policy file. */
    @Bean
    static JolokiaAccessPolicy jolokiaAccessPolicy(Environment environment) {
        return JolokiaAccessPolicy.verify(environment);
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
    SecurityFilterChain securityFilterChain(HttpSecurity http, InMemoryUserDetailsManager users,
            PasswordEncoder passwordEncoder, SecurityUsersProperties properties) throws Exception {
        RequestMatcher readOnly = new OrRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"),
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, "/**"));
        RequestMatcher jolokia = EndpointRequest.to("jolokia");
        RequestMatcher console = EndpointRequest.to("hawtio", "jolokia");
        RequestMatcher actuator = EndpointRequest.toAnyEndpoint();

        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        AuthenticationEntryPoint basicOrTooMany = ThrottledLoginResponses.entryPoint(basic);

        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite(SAME_SITE));

        http.authenticationManager(authenticationManager(users, passwordEncoder, properties))
                .authorizeHttpRequests(auth -> auth
                        // Error pages render whatever status the original request got.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class)).permitAll()
                        .requestMatchers(path("/error")).permitAll()
                        .requestMatchers(console).hasRole(SyncRole.ADMIN.name())
                        // Re-encrypting stored secrets after a key rotation is an administrator's act.
                        .requestMatchers(path(HttpMethod.POST, "/api/connections/re-encrypt")).hasRole(SyncRole.ADMIN.name())
                        .requestMatchers(new AndRequestMatcher(actuator, readOnly)).hasRole(SyncRole.VIEWER.name())
                        .requestMatchers(actuator).hasRole(SyncRole.ADMIN.name())
                        .requestMatchers(readOnly).hasRole(SyncRole.VIEWER.name())
                        .anyRequest().hasRole(SyncRole.OPERATOR.name()))
                .formLogin(form -> form
                        .failureHandler(ThrottledLoginResponses.failureHandler(
                                new SimpleUrlAuthenticationFailureHandler("/login?error")))
                        .permitAll())
                .httpBasic(httpBasic -> httpBasic.realmName(REALM).authenticationEntryPoint(basicOrTooMany))
                .logout(logout -> logout.permitAll())
                .exceptionHandling(exceptions -> {
                    // Registered as defaults, not as *the* entry point, so the generated login page stays on.
                    registerEntryPoints(exceptions, basic);
                    exceptions.accessDeniedHandler(new LoginFirstAccessDeniedHandler(basic));
                })
                .addFilterBefore(new JolokiaRequestGuard(jolokia, EndpointRequest.to("hawtio")), CsrfFilter.class)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        .ignoringRequestMatchers(new AndRequestMatcher(new OrRequestMatcher(path("/api/**"), jolokia),
                                SecurityConfig::isScriptWithBasicAuth)));
        return http.build();
    }

    /** The password check behind form login and HTTP Basic, with lockouts and the verified-credentials cache. */
    private static AuthenticationManager authenticationManager(InMemoryUserDetailsManager users,
            PasswordEncoder passwordEncoder, SecurityUsersProperties properties) {
        DaoAuthenticationProvider passwordCheck = new DaoAuthenticationProvider(users);
        passwordCheck.setPasswordEncoder(passwordEncoder);
        LoginThrottle throttle = new LoginThrottle(properties.loginThrottle(), users::userExists);
        VerifiedCredentialsCache verified = new VerifiedCredentialsCache(properties.credentialCache().ttl(),
                properties.credentialCache().maxEntries());
        return new ProviderManager(new ThrottledAuthenticationProvider(passwordCheck, throttle, verified));
    }

    /**
     * A script's request, not a browser's: HTTP Basic credentials, no cookie at all (a browser sends the ones it
     * holds; a script has none, since Basic requests get neither a session nor the XSRF-TOKEN cookie), and not
     * marked cross-site by the browser: {@code Sec-Fetch-Site} absent (scripts never send it), {@code same-origin}
     * or {@code none}, and an {@code Origin}, if any, that is this server's.
     */
    static boolean isScriptWithBasicAuth(HttpServletRequest request) {
        if (!hasBasicCredentials(request) || request.getHeader("Cookie") != null) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = request.getHeader("Origin");
        return origin == null || SameOrigin.matches(origin, request);
    }

    static boolean hasBasicCredentials(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
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

    private static RequestMatcher path(HttpMethod method, String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
    }
}
