package dev.barge.web;

import dev.barge.config.ServeOnlyAutoConfigurations;
import dev.barge.job.ExecutionControl;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobRunner;
import dev.barge.schedule.Schedules;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The API's errors as JSON, each with the sentence the command line would print: 404 for an execution
 * or a scheduled job that does not exist, 409 for an action refused as things stand (nothing was
 * changed), 400 for a value that does not convert.
 */
@RestControllerAdvice(assignableTypes = ApiController.class)
@ConditionalOnProperty(name = ServeOnlyAutoConfigurations.ENABLED, havingValue = "true")
public final class ApiErrors {

    /**
     * An error.
     *
     * @param status the HTTP status
     * @param message what went wrong, in a sentence
     * @param problems for a job whose checks failed, each problem
     */
    public record Error(int status, String message, List<String> problems) {}

    @ExceptionHandler({JobCatalog.UnknownExecution.class, NoSuchElementException.class})
    ResponseEntity<Error> notFound(RuntimeException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage(), List.of());
    }

    @ExceptionHandler({ExecutionControl.Refused.class, JobRunner.AlreadyRunning.class, Schedules.NotStarted.class})
    ResponseEntity<Error> refused(Exception e) {
        return error(HttpStatus.CONFLICT, e.getMessage(), List.of());
    }

    @ExceptionHandler(JobCatalog.NotStarted.class)
    ResponseEntity<Error> notStarted(JobCatalog.NotStarted e) {
        return error(HttpStatus.CONFLICT, e.getMessage(), e.problems());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Error> badValue(MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "'" + e.getName() + "' cannot be '" + e.getValue() + "'", List.of());
    }

    private static ResponseEntity<Error> error(HttpStatus status, String message, List<String> problems) {
        return ResponseEntity.status(status).body(new Error(status.value(), message, problems));
    }
}
