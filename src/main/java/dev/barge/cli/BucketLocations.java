package dev.barge.cli;

import dev.barge.storage.Location;

/** Locations that must name a bucket and nothing inside it, for {@code mb} and {@code rb}. */
final class BucketLocations {
    private BucketLocations() {}

    static Location bucket(String text) {
        Location location = Location.parse(text);
        if (!location.hasBucket()) {
            throw CliError.usage("'" + text + "' names no bucket: give remote:bucket");
        }
        if (!location.path().isEmpty()) {
            throw CliError.usage("'" + text + "' names a path inside the bucket " + location.bucket()
                    + ": give the bucket alone, " + location.remote() + ":" + location.bucket());
        }
        return location;
    }
}
