package dev.barge.web;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The dashboard's users, from configuration or the environment, checked:
 * <ul>
 *   <li>{@code barge.serve.users.<name>.password} and {@code .role} ({@code viewer}, the default, or
 *       {@code operator}), e.g. {@code BARGE_SERVE_USERS_OPS_PASSWORD} and {@code BARGE_SERVE_USERS_OPS_ROLE};</li>
 *   <li>the shortcuts {@code barge.serve.operator-password} ({@code BARGE_SERVE_OPERATOR_PASSWORD}: user
 *       {@code operator}) and {@code barge.serve.viewer-password} ({@code BARGE_SERVE_VIEWER_PASSWORD}:
 *       user {@code viewer}).</li>
 * </ul>
 * A password is stored as given: {@code {bcrypt}...} (or any other id Spring Security's delegating
 * encoder knows) is checked as that hash; a password with no {@code {id}} prefix is the password itself.
 * With no users, {@code barge serve} on a loopback address lets everyone on this machine in as an
 * operator ({@link #anonymousOperator()}); on any other address it refuses to start ({@link ServeRefused}).
 *
 * @param users the users, by name
 * @param bind the address the server listens on
 */
record ServeUsers(List<User> users, String bind) {
    ServeUsers {
        users = List.copyOf(users);
        requireNonNull(bind, "bind is null");
    }

    /**
     * One user.
     *
     * @param name what they log in as
     * @param password the password, {@code {id}}-prefixed ({@code {noop}} added to a plain one)
     * @param role what they may do
     */
    record User(String name, String password, Role role) {
        User {
            requireNonNull(name, "name is null");
            requireNonNull(password, "password is null");
            requireNonNull(role, "role is null");
        }

        @Override
        public String toString() {
            return "User[" + name + ", " + role + "]";
        }
    }

    /** A user as configured under {@code barge.serve.users.<name>}. */
    record Settings(String password, String role) {}

    /** Whether there are no users, on loopback: everyone who reaches the server is an operator. */
    boolean anonymousOperator() {
        return users.isEmpty();
    }

    /**
     * The users {@code environment} configures, for a server on {@code bind}.
     *
     * @throws ServeRefused when a user has no password or an unknown role, or when {@code bind} is
     *     not a loopback address and there is no user
     */
    static ServeUsers from(Environment environment, String bind) {
        Map<String, Settings> configured = new TreeMap<>(Binder.get(environment)
                .bind("barge.serve.users", Bindable.mapOf(String.class, Settings.class)).orElse(Map.of()));
        List<String> problems = new ArrayList<>();
        List<User> users = new ArrayList<>();
        configured.forEach((name, settings) -> {
            String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
            String password = settings.password();
            if (password == null || password.isBlank()) {
                problems.add("user '" + name + "' has no password: set barge.serve.users." + name + ".password"
                        + " (BARGE_SERVE_USERS_" + key + "_PASSWORD)");
                return;
            }
            Role role = settings.role() == null ? Role.VIEWER : Role.parse(settings.role());
            if (role == null) {
                problems.add("user '" + name + "' has role '" + settings.role() + "': barge.serve.users." + name
                        + ".role (BARGE_SERVE_USERS_" + key + "_ROLE) is viewer or operator");
                return;
            }
            users.add(new User(name, encoded(password), role));
        });
        shortcut(environment, "barge.serve.operator-password", "operator", Role.OPERATOR, users);
        shortcut(environment, "barge.serve.viewer-password", "viewer", Role.VIEWER, users);
        if (!problems.isEmpty()) {
            throw new ServeRefused("barge serve: " + String.join("; ", problems));
        }
        if (users.isEmpty() && !isLoopback(bind)) {
            throw new ServeRefused("barge serve: --bind " + bind + " reaches beyond this machine, and no dashboard"
                    + " user has a password: set BARGE_SERVE_OPERATOR_PASSWORD (user 'operator'), or"
                    + " barge.serve.users.<name>.password and .role=operator|viewer"
                    + " (BARGE_SERVE_USERS_<NAME>_PASSWORD, BARGE_SERVE_USERS_<NAME>_ROLE); or bind to 127.0.0.1");
        }
        return new ServeUsers(users, bind);
    }

    private static void shortcut(Environment environment, String property, String name, Role role, List<User> users) {
        String password = environment.getProperty(property);
        if (password != null && !password.isBlank() && users.stream().noneMatch(u -> u.name().equals(name))) {
            users.add(new User(name, encoded(password), role));
        }
    }

    /** {@code {id}}-prefixed as given; a plain password as {@code {noop}}. */
    private static String encoded(String password) {
        return password.matches("^\\{[A-Za-z0-9_.-]+}.*") ? password : "{noop}" + password;
    }

    /** Whether {@code bind} is an address of this machine only ({@code 127.0.0.1}, {@code ::1}, {@code localhost}). */
    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
