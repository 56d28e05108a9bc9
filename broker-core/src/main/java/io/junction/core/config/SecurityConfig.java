package io.junction.core.config;

import io.junction.core.security.ListenerAccess;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code security} section and the access keys of each listener.
 *
 * @param usersFile the users file, resolved against the directory of the config file
 * @param listeners the {@code allowAnonymous} and {@code groups} of each listener that gives
 *                  either, by listener name; a listener not here takes {@link ListenerAccess#DEFAULT}
 * @param maxConnectionsPerUser connections one user may have open at once, over all listeners and
 *                  protocols, unless {@code users.yaml} gives that user its own; 0 for no limit
 */
public record SecurityConfig(Path usersFile, Map<String, ListenerAccess> listeners, int maxConnectionsPerUser) {

    public static final String DEFAULT_USERS_FILE = "users.yaml";

    public SecurityConfig {
        Objects.requireNonNull(usersFile, "usersFile");
        listeners = Map.copyOf(listeners);
        if (maxConnectionsPerUser < 0) {
            throw new IllegalArgumentException("maxConnectionsPerUser must be 0 (no limit) or more, was "
                    + maxConnectionsPerUser);
        }
    }

    /** Without a per-user connection limit. */
    public SecurityConfig(Path usersFile, Map<String, ListenerAccess> listeners) {
        this(usersFile, listeners, 0);
    }

    /** The defaults of a config file in {@code directory}. */
    public static SecurityConfig defaults(Path directory) {
        return new SecurityConfig(directory.resolve(DEFAULT_USERS_FILE).toAbsolutePath().normalize(), Map.of());
    }

    public ListenerAccess access(String listener) {
        return listeners.getOrDefault(listener, ListenerAccess.DEFAULT);
    }
}
