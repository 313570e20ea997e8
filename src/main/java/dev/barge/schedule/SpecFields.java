package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import dev.barge.config.RemoteSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The fields of one YAML mapping of a spec, read as text with the line each is on, so that every
 * problem names the file, the field and the line. Values are read from the YAML nodes rather than
 * from SnakeYAML's objects: a key such as {@code yes} stays the word the user wrote (YAML 1.1 would
 * make it {@code true}), and duplicate keys are refused rather than the last one silently winning.
 */
final class SpecFields {
    private final Path file;
    private final String prefix;
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();
    private final List<InvalidScheduleSpecs.Problem> problems;
    private final int line;

    /**
     * @param prefix the dotted path of this mapping with a trailing dot ({@code "parameters."}), or ""
     * @param line the line of the key naming this mapping (a field missing from it is reported there),
     *     or 0 for the line the mapping starts on
     * @param problems where problems are added
     */
    SpecFields(Path file, String prefix, MappingNode mapping, int line, List<InvalidScheduleSpecs.Problem> problems) {
        this.file = requireNonNull(file, "file is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.problems = requireNonNull(problems, "problems is null");
        this.line = line > 0 ? line : line(mapping);
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problem("", line(tuple.getKeyNode()), "a field name must be a plain word, as in 'name: nightly-sync'");
                continue;
            }
            if (fields.containsKey(key.getValue())) {
                problem(key.getValue(), line(key), "is given twice; keep one");
                continue;
            }
            fields.put(key.getValue(), tuple);
        }
    }

    Path file() {
        return file;
    }

    /** The field names given, in file order. */
    Collection<String> names() {
        return fields.keySet();
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Refuses every field not in {@code known}, suggesting the closest known name. */
    void onlyKnown(Collection<String> known, Function<String, String> whyNot) {
        for (String name : fields.keySet()) {
            if (known.contains(name)) {
                continue;
            }
            String reason = whyNot.apply(name);
            if (reason != null) {
                problem(name, lineOf(name), reason);
                continue;
            }
            String closest = closest(name, known);
            problem(name, lineOf(name), "is not a field here" + (closest != null ? "; did you mean '" + closest + "'?"
                    : "") + " (known: " + String.join(", ", known) + ")");
        }
    }

    /** The field's text, or {@code null} when absent (a problem when {@code required}) or not a single value. */
    String text(String name, boolean required) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            if (required) {
                problem(name, line, "is missing");
            }
            return null;
        }
        if (!(tuple.getValueNode() instanceof ScalarNode scalar)) {
            problem(name, lineOf(name), "must be a single value, not a list or a mapping");
            return null;
        }
        String value = scalar.getValue().trim();
        if (value.isEmpty() || value.equals("~") || value.equalsIgnoreCase("null")) {
            if (required) {
                problem(name, lineOf(name), "is empty");
            }
            return null;
        }
        return value;
    }

    /** A yes/no field: {@code true} or {@code false} ({@code yes}, {@code no} too); {@code false} when absent. */
    boolean bool(String name) {
        String value = text(name, false);
        if (value == null) {
            return false;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> {
                return true;
            }
            case "false", "no", "off" -> {
                return false;
            }
            default -> {
                problem(name, lineOf(name), "must be true or false, not '" + value + "'");
                return false;
            }
        }
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent or wrong. */
    Integer integer(String name, Integer fallback, int min, int max) {
        String value = text(name, false);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        problem(name, lineOf(name), "must be a whole number from " + min + " to " + max + ", not '" + value + "'");
        return fallback;
    }

    /** A list of words: a YAML list, or one value (split at commas when {@code commas}); empty when absent. */
    List<String> list(String name, boolean commas) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        if (tuple.getValueNode() instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
                    values.add(scalar.getValue().trim());
                } else {
                    problem(name, line(item), "each item must be a single value");
                }
            }
        } else if (tuple.getValueNode() instanceof ScalarNode scalar) {
            String value = scalar.getValue().trim();
            if (!value.isEmpty()) {
                if (commas) {
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            values.add(part.trim());
                        }
                    }
                } else {
                    values.add(value);
                }
            }
        } else {
            problem(name, lineOf(name), "must be a list, as in [\"*.log\", \"*.gz\"], or one value");
        }
        return values;
    }

    /** The value of a field converted by {@code parse}, whose {@link IllegalArgumentException} is the problem. */
    <T> T parsed(String name, Function<String, T> parse, T fallback) {
        String value = text(name, false);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            problem(name, lineOf(name), e.getMessage());
            return fallback;
        }
    }

    /** A nested mapping, or {@code null} when absent (a problem when it is something else). */
    MappingNode mapping(String name) {
        NodeTuple tuple = fields.get(name);
        if (tuple == null) {
            return null;
        }
        if (tuple.getValueNode() instanceof MappingNode mapping) {
            return mapping;
        }
        if (tuple.getValueNode() instanceof ScalarNode scalar && scalar.getValue().isBlank()) {
            return null;
        }
        problem(name, lineOf(name), "must be a mapping of names to values, one per line below it");
        return null;
    }

    /** Records a problem with field {@code name} of this mapping. */
    void problem(String name, String message) {
        problem(name, fields.containsKey(name) ? lineOf(name) : line, message);
    }

    private void problem(String name, int at, String message) {
        String field = name.isEmpty() ? (prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1))
                : prefix + name;
        problems.add(new InvalidScheduleSpecs.Problem(file, field, at, message));
    }

    /** The line field {@code name} is on; it must be given. */
    int lineOf(String name) {
        return line(fields.get(name).getKeyNode());
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** The known name closest to {@code name}, when it is close enough to be a misspelling of it. */
    static String closest(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        return known.stream()
                .min(Comparator.comparingInt(k -> RemoteSettings.distance(k, lower)))
                .filter(k -> RemoteSettings.distance(k, lower) <= Math.max(2, k.length() / 3))
                .orElse(null);
    }
}
