package io.junction.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code broker} section.
 *
 * @param dataDirectory   a relative path in the file is resolved against the broker home
 * @param shutdownTimeout how long a graceful stop waits for in-flight work
 */
public record BrokerSettings(String name, Path dataDirectory, Duration shutdownTimeout) {

    public static final String DEFAULT_NAME = "junction";
    public static final String DEFAULT_DATA_DIRECTORY = "data";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public BrokerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    public static BrokerSettings defaults(Path home) {
        return new BrokerSettings(DEFAULT_NAME, home.resolve(DEFAULT_DATA_DIRECTORY), DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public BrokerSettings withDataDirectory(Path directory) {
        return new BrokerSettings(name, directory, shutdownTimeout);
    }
}
