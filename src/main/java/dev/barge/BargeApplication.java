package dev.barge;

import dev.barge.cli.BargeCli;
import dev.barge.cli.SoftHeapLimit;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the {@code barge} executable: the command line ({@link BargeCli}), which starts
 * this Spring Boot application for the commands that work with jobs, and the smaller
 * {@link dev.barge.config.StoresOnly} for those that only reach stores ({@code ls}, {@code cat},
 * {@code stat}, {@code remotes}).
 */
@SpringBootApplication
public class BargeApplication {
    public static void main(String[] args) {
        try {
            SoftHeapLimit.installFromSystemProperty();
        } catch (IllegalArgumentException e) {
            System.err.println("barge: " + e.getMessage());
            System.exit(2);
        }
        int exitCode = BargeCli.run(args);
        System.exit(exitCode);
    }
}
