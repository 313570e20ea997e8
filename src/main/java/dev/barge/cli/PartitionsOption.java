package dev.barge.cli;

import dev.barge.job.MigrateParameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --partitions N} of the jobs that walk a listing: key ranges run in parallel, each resumed on its own. */
final class PartitionsOption {
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Split the source's keys into N ranges, listed and worked on in parallel, each resumed on"
                    + " its own (from 1 to " + MigrateParameters.MAX_PARTITIONS + "; default: ${DEFAULT-VALUE})."
                    + " The same command with the same N resumes a run.")
    int partitions = 1;

    /** The count asked for, or a usage error naming the range. */
    int partitions(CommandSpec spec) {
        if (partitions < 1 || partitions > MigrateParameters.MAX_PARTITIONS) {
            throw new ParameterException(spec.commandLine(), "--partitions must be a whole number from 1 to "
                    + MigrateParameters.MAX_PARTITIONS + " (key ranges worked on in parallel), e.g. --partitions 4; "
                    + partitions + " is not");
        }
        return partitions;
    }
}
