package dev.barge.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An execution's failures (or findings) as CSV, RFC 4180: a header line, then one line per object;
 * a field that holds a comma, a quote or a line break is quoted, its quotes doubled. What
 * {@code barge jobs failures ID --csv} prints and the dashboard's {@code failures.csv} downloads.
 */
public final class FailuresCsv {
    /** The header line's fields, in order. */
    public static final String HEADER = "key,size,kind,operation,attempts,vendor_code,request_id,failed_at,message";

    private FailuresCsv() {}

    /** Writes the header line and a line per failure, each ended by {@code \n}. */
    public static void write(Appendable out, List<JobRecords.Failure> failures) {
        try {
            out.append(HEADER).append('\n');
            for (JobRecords.Failure f : failures) {
                out.append(line(f)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One failure's line, without its line break. */
    public static String line(JobRecords.Failure f) {
        return String.join(",", field(f.key()), f.size() == null ? "" : f.size().toString(), field(f.kind()),
                field(f.operation()), Integer.toString(f.attempts()), field(f.vendorCode()), field(f.requestId()),
                f.failedAt().toString(), field(f.message()));
    }

    /** A value as a CSV field: quoted when it must be; {@code null} as an empty field. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
