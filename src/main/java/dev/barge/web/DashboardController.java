package dev.barge.web;

import static java.util.Objects.requireNonNull;

import dev.barge.config.ServeOnlyAutoConfigurations;
import dev.barge.job.ExecutionControl;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobRunner;
import dev.barge.schedule.Schedules;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard's pages, rendered on the server (Thymeleaf, {@code templates/}): executions, one
 * execution, the schedules, and the login form. The actions are form posts (CSRF-checked) that go
 * through {@link ExecutionActions} and {@link Schedules}, as the API's do, then back to the page with
 * what was done, or why not.
 */
@Controller
@ConditionalOnProperty(name = ServeOnlyAutoConfigurations.ENABLED, havingValue = "true")
public final class DashboardController {
    private static final DashboardFormats FORMATS = new DashboardFormats();

    private final Executions executions;
    private final ExecutionActions actions;
    private final ObjectProvider<Schedules> schedules;

    public DashboardController(Executions executions, ExecutionActions actions, ObjectProvider<Schedules> schedules) {
        this.executions = requireNonNull(executions, "executions is null");
        this.actions = requireNonNull(actions, "actions is null");
        this.schedules = requireNonNull(schedules, "schedules is null");
    }

    /** What every page shows: who is logged in, whether they may act, and the formats. */
    @ModelAttribute
    void common(Model model) {
        // the security context's, which holds the anonymous operator too (a request's principal does not)
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        model.addAttribute("fmt", FORMATS);
        model.addAttribute("user", authentication == null ? null : authentication.getName());
        model.addAttribute("operator", authentication != null && authentication.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_OPERATOR")));
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String executions(@RequestParam(required = false) String status, @RequestParam(required = false) String job,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) Long before, @RequestParam(required = false) Long after,
            @RequestParam(defaultValue = "25") int size, Model model) {
        BatchStatus wanted = status == null || status.isBlank() ? null : BatchStatus.valueOf(status);
        Executions.Filter filter = new Executions.Filter(wanted, job, from, to);
        model.addAttribute("filter", filter);
        model.addAttribute("statuses", List.of(BatchStatus.values()));
        model.addAttribute("jobs", executions.jobNames());
        model.addAttribute("page", executions.list(filter, before, after, size));
        model.addAttribute("size", size);
        return "executions";
    }

    @GetMapping("/executions/{id}")
    String execution(@PathVariable long id, @RequestParam(defaultValue = "0") long failuresAfter, Model model) {
        model.addAttribute("execution", executions.detail(id));
        model.addAttribute("failures", executions.failures(id, failuresAfter, 50));
        return "execution";
    }

    @GetMapping("/executions/{id}/failures.csv")
    void failuresCsv(@PathVariable long id, HttpServletResponse response) throws IOException {
        executions.detail(id);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"execution-" + id + "-failures.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        executions.writeFailuresCsv(id, out);
    }

    @PostMapping("/executions/{id}/stop")
    String stop(@PathVariable long id, RedirectAttributes redirect) {
        return act(id, redirect, () -> actions.stop(id));
    }

    @PostMapping("/executions/{id}/restart")
    String restart(@PathVariable long id, RedirectAttributes redirect) {
        return act(id, redirect, () -> actions.restart(id));
    }

    @PostMapping("/executions/{id}/abandon")
    String abandon(@PathVariable long id, RedirectAttributes redirect) {
        return act(id, redirect, () -> actions.abandon(id));
    }

    @GetMapping("/schedules")
    String schedules(Model model) {
        Schedules s = schedules.getIfAvailable();
        List<ScheduleView> views = s == null ? List.of() : s.schedules().stream().map(ScheduleView::of).toList();
        Map<String, List<TickView>> history = new LinkedHashMap<>();
        views.forEach(v -> history.put(v.name(), s.ticks(v.name(), 5).stream().map(TickView::of).toList()));
        model.addAttribute("schedules", views);
        model.addAttribute("history", history);
        return "schedules";
    }

    @PostMapping("/schedules/{name}/run")
    String runNow(@PathVariable String name, RedirectAttributes redirect) {
        Schedules s = schedules.getIfAvailable();
        try {
            if (s == null) {
                throw new NoSuchElementException("the scheduler is off");
            }
            long id = s.runNow(name);
            redirect.addFlashAttribute("message", name + ": started as execution " + id);
        } catch (RuntimeException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/schedules";
    }

    /** An action that answers in a sentence. */
    @FunctionalInterface
    private interface Action {
        ExecutionActions.Result run() throws Exception;
    }

    private static String act(long id, RedirectAttributes redirect, Action action) {
        long shown = id;
        try {
            ExecutionActions.Result result = action.run();
            redirect.addFlashAttribute("message", result.message());
            if (result.executionId() != null) {
                shown = result.executionId();
            }
        } catch (JobCatalog.UnknownExecution | ExecutionControl.Refused | JobCatalog.NotStarted
                | JobRunner.AlreadyRunning e) {
            redirect.addFlashAttribute("error", e.getMessage());
        } catch (Exception e) {
            redirect.addFlashAttribute("error", "the action failed: " + e.getMessage());
        }
        return "redirect:/executions/" + shown;
    }

    @ExceptionHandler(JobCatalog.UnknownExecution.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String unknown(JobCatalog.UnknownExecution e, Model model) {
        model.addAttribute("fmt", FORMATS);
        model.addAttribute("error", e.getMessage());
        return "not-found";
    }
}
