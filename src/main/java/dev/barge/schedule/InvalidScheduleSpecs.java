package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The specs of {@code jobs/} could not all be read: each problem names the file, the field and,
 * where known, the line. {@code barge serve} refuses to start with them, so that a typo is found when
 * the specs are deployed rather than on the night the job should have run.
 */
public final class InvalidScheduleSpecs extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    InvalidScheduleSpecs(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        return (problems.size() == 1 ? "a scheduled job spec is invalid: "
                : problems.size() + " problems in the scheduled job specs:\n  ")
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  "));
    }

    /**
     * One problem.
     *
     * @param file the spec's file
     * @param field the field, dotted from the top ({@code parameters.mode}); empty for the file as a whole
     * @param line the line of the field in the file, from 1, or 0 when not known
     * @param message what is wrong and how to put it right
     */
    public record Problem(Path file, String field, int line, String message) {
        public Problem {
            requireNonNull(file, "file is null");
            requireNonNull(field, "field is null");
            requireNonNull(message, "message is null");
        }

        @Override
        public String toString() {
            return file + (field.isEmpty() ? "" : ": " + field) + (line > 0 ? " (line " + line + ")" : "") + ": "
                    + message;
        }
    }
}
