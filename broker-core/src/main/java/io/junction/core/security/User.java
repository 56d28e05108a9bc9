package io.junction.core.security;

import java.util.List;
import java.util.Objects;

/**
 * One user of {@code users.yaml}: name, password hash and the groups it belongs to.
 *
 * @param maxConnections connections this user may have open at once, overriding
 *                       {@code security.maxConnectionsPerUser}: 0 for no limit, {@link #DEFAULT_LIMIT}
 *                       when the file does not say
 */
public record User(String name, PasswordHash password, List<String> groups, int maxConnections) {

    /** {@link #maxConnections} of a user the file gives none: the broker-wide limit applies. */
    public static final int DEFAULT_LIMIT = -1;

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        groups = List.copyOf(groups);
        if (maxConnections < DEFAULT_LIMIT) {
            throw new IllegalArgumentException("maxConnections of user " + name + " must be 0 or more");
        }
    }

    /** A user under the broker-wide connection limit. */
    public User(String name, PasswordHash password, List<String> groups) {
        this(name, password, groups, DEFAULT_LIMIT);
    }

    /** The same user with another password, keeping its groups and limit. */
    public User withPassword(PasswordHash newPassword) {
        return new User(name, newPassword, groups, maxConnections);
    }
}
