package dev.barge.web;

import static java.util.Objects.requireNonNull;

import dev.barge.config.ServeOnlyAutoConfigurations;
import dev.barge.schedule.Schedules;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API: everything the dashboard shows and does, as JSON. Reading needs a viewer, acting an
 * operator (HTTP Basic, {@link WebSecurityConfiguration}); errors are {@link ApiErrors}' JSON.
 */
@RestController
@RequestMapping("/api")
@ConditionalOnProperty(name = ServeOnlyAutoConfigurations.ENABLED, havingValue = "true")
@OpenAPIDefinition(info = @Info(title = "barge serve", version = "1",
        description = "The job repository's executions, their failures and the scheduled jobs; stop, restart,"
                + " abandon and run now. HTTP Basic: a viewer reads, an operator acts."))
@Tag(name = "barge", description = "Job executions, their failures and the scheduled jobs of barge serve")
public final class ApiController {
    private final Executions executions;
    private final ExecutionActions actions;
    private final ObjectProvider<Schedules> schedules;

    public ApiController(Executions executions, ExecutionActions actions, ObjectProvider<Schedules> schedules) {
        this.executions = requireNonNull(executions, "executions is null");
        this.actions = requireNonNull(actions, "actions is null");
        this.schedules = requireNonNull(schedules, "schedules is null");
    }

    @GetMapping("/executions")
    @Operation(summary = "Executions, newest first, filtered and paged",
            description = "A page holds at most 'size' executions (200 at most). 'older' in the answer is the"
                    + " 'before' of the next page, 'newer' the 'after' of the page before.")
    public Executions.Page executions(
            @Parameter(description = "STARTING, STARTED, STOPPING, STOPPED, FAILED, COMPLETED, ABANDONED, UNKNOWN")
            @RequestParam(required = false) BatchStatus status,
            @Parameter(description = "migrate, delete, archive, restore or verify") @RequestParam(required = false) String job,
            @Parameter(description = "started on this day or later (yyyy-MM-dd)")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @Parameter(description = "started on this day or earlier (yyyy-MM-dd)")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @Parameter(description = "executions older than this id") @RequestParam(required = false) Long before,
            @Parameter(description = "executions newer than this id") @RequestParam(required = false) Long after,
            @RequestParam(defaultValue = "25") int size) {
        return executions.list(new Executions.Filter(status, job, from, to), before, after, size);
    }

    @GetMapping("/executions/{id}")
    @Operation(summary = "One execution: its parameters, steps, totals by outcome and the actions it allows")
    public Executions.Detail execution(@PathVariable long id) {
        return executions.detail(id);
    }

    @GetMapping("/executions/{id}/failures")
    @Operation(summary = "An execution's failed objects with their reasons, in the order recorded, paged",
            description = "'next' in the answer is the 'after' of the next page. All of them as CSV:"
                    + " /executions/{id}/failures.csv")
    public Executions.FailurePage failures(@PathVariable long id, @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "50") int size) {
        return executions.failures(id, after, size);
    }

    @PostMapping("/executions/{id}/stop")
    @Operation(summary = "Asks a running execution to stop after its chunk in flight (operator)")
    public ExecutionActions.Result stop(@PathVariable long id) throws Exception {
        return actions.stop(id);
    }

    @PostMapping("/executions/{id}/restart")
    @Operation(summary = "Continues a failed or stopped execution's run in this server (operator)",
            description = "Answers with the new execution once it exists.")
    public ExecutionActions.Result restart(@PathVariable long id) throws Exception {
        return actions.restart(id);
    }

    @PostMapping("/executions/{id}/abandon")
    @Operation(summary = "Marks a stopped or failed execution as never to be resumed (operator)")
    public ExecutionActions.Result abandon(@PathVariable long id) throws Exception {
        return actions.abandon(id);
    }

    @GetMapping("/schedules")
    @Operation(summary = "The scheduled jobs: cron, next run, last tick and last execution")
    public List<ScheduleView> schedules() {
        Schedules s = schedules.getIfAvailable();
        return s == null ? List.of() : s.schedules().stream().map(ScheduleView::of).toList();
    }

    @GetMapping("/schedules/{name}/ticks")
    @Operation(summary = "A scheduled job's last ticks, newest first, from every instance")
    public List<TickView> ticks(@PathVariable String name, @RequestParam(defaultValue = "20") int limit) {
        Schedules s = schedules.getIfAvailable();
        if (s == null) {
            throw new NoSuchElementException("the scheduler is off; there is no scheduled job '" + name + "'");
        }
        return s.ticks(name, Math.max(1, Math.min(limit, 200))).stream().map(TickView::of).toList();
    }

    @PostMapping("/schedules/{name}/run")
    @Operation(summary = "Runs a scheduled job now, under the same rules as a due tick (operator)")
    public ExecutionActions.Result runNow(@PathVariable String name) {
        Schedules s = schedules.getIfAvailable();
        if (s == null) {
            throw new NoSuchElementException("the scheduler is off; there is no scheduled job '" + name + "'");
        }
        long id = s.runNow(name);
        return new ExecutionActions.Result(name + ": started as execution " + id, id);
    }
}
