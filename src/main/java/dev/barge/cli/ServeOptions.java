package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What {@code barge serve}'s command line asks of its web application.
 *
 * @param port the HTTP port (0: any free one)
 * @param bind the address to listen on; {@code 127.0.0.1} by default, so that nothing beyond this
 *     machine reaches the dashboard until it is asked for
 * @param jobsDir the directory of the scheduled job specs from {@code --jobs-dir}, or {@code null} for
 *     {@code barge.jobs-dir} ({@code BARGE_JOBS_DIR}), else {@code ./jobs}
 */
public record ServeOptions(int port, String bind, Path jobsDir) {
    public ServeOptions {
        requireNonNull(bind, "bind is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
    }
}
