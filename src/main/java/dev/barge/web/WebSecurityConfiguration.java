package dev.barge.web;

import dev.barge.config.ServeOnlyAutoConfigurations;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what in {@code barge serve}:
 * <ul>
 *   <li>pages need a viewer, and log in with a form; the API ({@code /api/**}) and
 *       {@code /actuator/prometheus} need a viewer too, with HTTP Basic: an anonymous call gets 401, never
 *       a login page;</li>
 *   <li>every action (a POST: stop, restart, abandon, run now) needs an operator: a viewer gets 403;</li>
 *   <li>a form post needs its CSRF token; an API call that carries its own credentials
 *       ({@code Authorization}) needs none, as no browser sends those unasked;</li>
 *   <li>{@code /login}, the styles and scripts, the API's description ({@code /api/docs}) and
 *       {@code /actuator/health} (without details) are open.</li>
 * </ul>
 * The users are {@link ServeUsers}'; with none (on loopback only) everyone is an operator.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = ServeOnlyAutoConfigurations.ENABLED, havingValue = "true")
public class WebSecurityConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WebSecurityConfiguration.class);

    @Bean
    ServeUsers serveUsers(Environment environment, @Value("${server.address:0.0.0.0}") String bind) {
        ServeUsers users = ServeUsers.from(environment, bind);
        if (users.anonymousOperator()) {
            log.warn("barge serve: no dashboard users are configured (BARGE_SERVE_OPERATOR_PASSWORD,"
                    + " barge.serve.users.<name>.password): everyone on this machine is an operator; it listens on"
                    + " {} only", bind);
        } else {
            log.info("barge serve: dashboard users {}", users.users());
        }
        return users;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService userDetailsService(ServeUsers users) {
        List<UserDetails> details = users.users().stream()
                .map(u -> User.withUsername(u.name()).password(u.password())
                        .authorities(u.role().authorities().toArray(String[]::new)).build())
                .map(UserDetails.class::cast)
                .toList();
        return new InMemoryUserDetailsManager(details);
    }

    @Bean
    SecurityFilterChain serveSecurity(HttpSecurity http, ServeUsers users) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher api = paths.matcher("/api/**");
        RequestMatcher machines = new OrRequestMatcher(api, paths.matcher("/actuator/**"));
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("barge");
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/css/**", "/js/**", "/favicon.ico", "/error").permitAll()
                        .requestMatchers("/api/docs", "/api/docs/**", "/api/swagger-ui/**", "/swagger-ui/**",
                                "/v3/api-docs/**").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/**").hasRole(Role.OPERATOR.name())
                        .anyRequest().hasRole(Role.VIEWER.name()))
                .formLogin(f -> f.loginPage("/login").permitAll())
                .httpBasic(b -> b.authenticationEntryPoint(basic))
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(e -> e
                        .defaultAccessDeniedHandlerFor(unauthenticatedIs401(basic), machines)
                        .defaultAuthenticationEntryPointFor(basic, machines)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                AnyRequestMatcher.INSTANCE))
                .csrf(c -> c.ignoringRequestMatchers(request -> api.matches(request) && hasCredentials(request)));
        if (users.anonymousOperator()) {
            http.anonymous(a -> a.principal("local").authorities(Role.OPERATOR.authorities().toArray(String[]::new)));
        }
        return http.build();
    }

    /**
     * For the API: a caller who is not logged in is told to authenticate (401), not refused (403), also
     * when what stopped them is the CSRF check, which comes before authentication.
     */
    private static AccessDeniedHandler unauthenticatedIs401(BasicAuthenticationEntryPoint basic) {
        AccessDeniedHandler refuse = new AccessDeniedHandlerImpl();
        return (request, response, denied) -> {
            Authentication who = SecurityContextHolder.getContext().getAuthentication();
            if (who == null || who instanceof AnonymousAuthenticationToken) {
                basic.commence(request, response, new InsufficientAuthenticationException(denied.getMessage(), denied));
            } else {
                refuse.handle(request, response, denied);
            }
        };
    }

    private static boolean hasCredentials(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && !authorization.isBlank();
    }
}
