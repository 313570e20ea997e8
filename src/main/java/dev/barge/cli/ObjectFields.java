package dev.barge.cli;

import dev.barge.storage.Checksum;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How the values of one object read for a person: {@code stat}'s fields and {@code cp}'s report. */
final class ObjectFields {
    private ObjectFields() {}

    /** {@code 12 B}, or {@code 20.0 MiB (20971520 bytes)}: human, and exact where the human form rounds. */
    static String size(long bytes) {
        return bytes < 1024 ? bytes + " B" : Formats.bytes(bytes) + " (" + bytes + " bytes)";
    }

    /** ISO-8601 to the second, in this machine's time zone with its offset: {@code 2024-05-01T12:22:03+02:00}. */
    static String time(Instant time) {
        return time == null ? "-" : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                time.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault()));
    }

    /** The vendor's name of the class, and the family Barge reasons with when it is another word. */
    static String storageClass(StorageClass storageClass) {
        String name = storageClass.displayName();
        return name.equalsIgnoreCase(storageClass.family().name()) ? name
                : name + " (" + storageClass.family().name() + ")";
    }

    /** The name people know a checksum algorithm by. */
    static String algorithm(Checksum.Algorithm algorithm) {
        return switch (algorithm) {
            case MD5 -> "MD5";
            case SHA256 -> "SHA-256";
            case CRC64_ECMA -> "CRC-64/ECMA";
            case QETAG -> "Qiniu etag";
        };
    }

    static String restore(RestoreStatus restore) {
        return switch (restore.state()) {
            case NONE -> "not requested (restore it before reading)";
            case IN_PROGRESS -> "in progress";
            case RESTORED -> restore.readableUntil() == null ? "restored"
                    : "restored, readable until " + time(restore.readableUntil());
        };
    }
}
