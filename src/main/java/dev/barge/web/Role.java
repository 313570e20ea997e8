package dev.barge.web;

import java.util.List;
import java.util.Locale;

/** What a dashboard user may do. An operator is a viewer too. */
public enum Role {
    /** Sees every page and API answer; changes nothing. */
    VIEWER,
    /** Also stops, restarts and abandons executions and runs scheduled jobs now. */
    OPERATOR;

    /** The Spring Security authorities the role grants. */
    List<String> authorities() {
        return this == OPERATOR ? List.of("ROLE_VIEWER", "ROLE_OPERATOR") : List.of("ROLE_VIEWER");
    }

    /** A role as configured ({@code viewer}, {@code operator}, any case); {@code null} when it is neither. */
    static Role parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "viewer" -> VIEWER;
            case "operator" -> OPERATOR;
            default -> null;
        };
    }
}
