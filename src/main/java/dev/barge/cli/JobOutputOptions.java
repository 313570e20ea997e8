package dev.barge.cli;

import dev.barge.storage.layer.RateLimitSettings;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every job command shares, as a picocli mixin: how the run reports ({@code --json},
 * {@code --stats}) and how hard it may press the remotes ({@code --tps-limit}).
 */
final class JobOutputOptions {
    @Option(names = "--tps-limit", paramLabel = "N",
            description = "At most N requests per second to each of the job's remotes.")
    Double tpsLimit;

    @Option(names = "--json", description = "Print one JSON object at the end instead of progress and a summary.")
    boolean json;

    @Option(names = "--stats", paramLabel = "INTERVAL", converter = MigrateCommand.IntervalConverter.class,
            description = "When not on a terminal (logs, CI), print a progress line this often, e.g. 30s, 1m;"
                    + " default 10s.")
    Duration stats;

    /** The requests-per-second limit asked for, with {@code bytesPerSecond} (0 for none). */
    RateLimitSettings rateLimit(CommandSpec spec, long bytesPerSecond) {
        if (tpsLimit != null && tpsLimit <= 0) {
            throw new ParameterException(spec.commandLine(), "--tps-limit must be above 0, not "
                    + java.math.BigDecimal.valueOf(tpsLimit).stripTrailingZeros().toPlainString()
                    + ": give the most requests per second to send to each remote, e.g. --tps-limit 50");
        }
        if (tpsLimit == null && bytesPerSecond == 0) {
            return RateLimitSettings.NONE;
        }
        return new RateLimitSettings(tpsLimit == null ? 0 : tpsLimit, bytesPerSecond);
    }

    /** {@code terminal}, printing its progress lines every {@code --stats} when that was given. */
    Terminal shown(Terminal terminal) {
        return stats == null ? terminal
                : new Terminal(terminal.out(), terminal.err(), terminal.interactive(), stats);
    }
}
