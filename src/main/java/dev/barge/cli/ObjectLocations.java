package dev.barge.cli;

import dev.barge.storage.Location;

/** Locations that must name one object, for {@code cat} and {@code stat}. */
final class ObjectLocations {
    private ObjectLocations() {}

    static Location object(String text) {
        Location location = Location.parse(text);
        if (!location.hasBucket() || location.path().isEmpty() || location.path().endsWith("/")) {
            throw CliError.usage("'" + text + "' names no object: give remote:bucket/key (or a URI ending in a key)");
        }
        return location;
    }
}
