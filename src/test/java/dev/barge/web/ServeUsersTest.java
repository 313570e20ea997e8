package dev.barge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The dashboard's users as the environment (docker-compose) and configuration give them, and when there must be one. */
class ServeUsersTest {
    private static StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    @Test
    void usersComeFromEnvironmentVariablesAndTheirShortcuts() {
        ServeUsers users = ServeUsers.from(environment(Map.of(
                "BARGE_SERVE_USERS_OPS_PASSWORD", "{noop}compose-secret",
                "BARGE_SERVE_USERS_OPS_ROLE", "operator",
                "BARGE_SERVE_USERS_AUDITOR_PASSWORD", "plain-secret",
                "BARGE_SERVE_VIEWER_PASSWORD", "view-secret"), Map.of()), "0.0.0.0");

        assertThat(users.anonymousOperator()).isFalse();
        assertThat(users.users()).extracting(ServeUsers.User::name, ServeUsers.User::role).containsExactlyInAnyOrder(
                tuple("ops", Role.OPERATOR),
                tuple("auditor", Role.VIEWER),
                tuple("viewer", Role.VIEWER));
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        Map<String, String> passwords = new HashMap<>();
        users.users().forEach(u -> passwords.put(u.name(), u.password()));
        assertThat(encoder.matches("compose-secret", passwords.get("ops"))).isTrue();
        assertThat(encoder.matches("plain-secret", passwords.get("auditor"))).as("a plain password is itself").isTrue();
        assertThat(encoder.matches("view-secret", passwords.get("viewer"))).isTrue();
        assertThat(users.users().toString()).doesNotContain("secret");
    }

    @Test
    void aBcryptPasswordIsCheckedAsTheHash() {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String hash = encoder.encode("s3cret");
        assertThat(hash).startsWith("{bcrypt}");
        ServeUsers users = ServeUsers.from(environment(Map.of(), Map.of("barge.serve.users.alice.password", hash,
                "barge.serve.users.alice.role", "OPERATOR")), "127.0.0.1");

        assertThat(users.users()).singleElement().satisfies(u -> {
            assertThat(u.role()).isEqualTo(Role.OPERATOR);
            assertThat(u.password()).isEqualTo(hash);
            assertThat(encoder.matches("s3cret", u.password())).isTrue();
            assertThat(encoder.matches(hash, u.password())).isFalse();
        });
    }

    @Test
    void withNoUserOnlyALoopbackAddressStartsAndThenEveryoneThereIsAnOperator() {
        for (String loopback : new String[] {"127.0.0.1", "localhost", "::1"}) {
            assertThat(ServeUsers.from(environment(Map.of(), Map.of()), loopback).anonymousOperator()).as(loopback)
                    .isTrue();
        }
        for (String beyond : new String[] {"0.0.0.0", "::", "192.0.2.10"}) {
            assertThatThrownBy(() -> ServeUsers.from(environment(Map.of(), Map.of()), beyond)).as(beyond)
                    .isInstanceOf(ServeRefused.class)
                    .hasMessageContaining("--bind " + beyond + " reaches beyond this machine")
                    .hasMessageContaining("BARGE_SERVE_OPERATOR_PASSWORD");
        }
    }
}
