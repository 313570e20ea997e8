package dev.barge.job;

import dev.barge.batch.ChunkTally;
import dev.barge.batch.FatalObjectFailure;
import dev.barge.batch.ListingOrderException;
import dev.barge.storage.StorageException;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;

/**
 * The one line that says why an execution failed. Spring Batch records the exception a step
 * ended with, wrapped ("Unable to process chunk") and as a stack trace; an operator needs the
 * cause under the wrappers: the object, the store's answer, what to do.
 */
final class FailureCause {
    private FailureCause() {}

    /** The cause of the first failure the execution or its steps recorded, as one line; empty if none. */
    static Optional<String> of(JobExecution execution) {
        return execution.getAllFailureExceptions().stream().findFirst().map(FailureCause::line);
    }

    static String line(Throwable failure) {
        Throwable cause = failure;
        while (!isBarge(cause) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        String first = message == null || message.isBlank() ? cause.getClass().getName()
                : message.lines().findFirst().orElse(message);
        return isBarge(cause) ? first : cause.getClass().getSimpleName() + ": " + first;
    }

    /** Whether Barge wrote this exception's message for the operator. */
    private static boolean isBarge(Throwable t) {
        return t instanceof FatalObjectFailure || t instanceof StorageException || t instanceof ListingOrderException
                || t instanceof ChunkTally.SkipLimitExceeded;
    }
}
