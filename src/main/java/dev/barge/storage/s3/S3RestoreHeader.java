package dev.barge.storage.s3;

import dev.barge.storage.RestoreStatus;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads S3's {@code x-amz-restore} header: {@code ongoing-request="true"} while a restore runs,
 * {@code ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"} once the copy is
 * readable; absent when no restore was asked for.
 */
final class S3RestoreHeader {
    private static final Pattern ONGOING = Pattern.compile("ongoing-request\\s*=\\s*\"?(true|false)\"?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPIRY = Pattern.compile("expiry-date\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

    private S3RestoreHeader() {}

    static RestoreStatus parse(String header) {
        if (header == null || header.isBlank()) {
            return RestoreStatus.NONE;
        }
        Matcher ongoing = ONGOING.matcher(header);
        if (!ongoing.find()) {
            return RestoreStatus.NONE;
        }
        if (ongoing.group(1).equalsIgnoreCase("true")) {
            return RestoreStatus.IN_PROGRESS;
        }
        Matcher expiry = EXPIRY.matcher(header);
        return RestoreStatus.restoredUntil(expiry.find() ? date(expiry.group(1)) : null);
    }

    private static Instant date(String text) {
        try {
            return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null; // restored, expiry unknown: better than refusing the whole stat
        }
    }
}
