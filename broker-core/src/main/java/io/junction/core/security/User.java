package io.junction.core.security;

import javax.security.auth.x500.X500Principal;
import java.util.List;
import java.util.Objects;

/**
 * One user of {@code users.yaml}: name, groups, how it logs in (a password hash, the subject of a
 * client certificate, or both; at least one) and how many connections it may have open.
 *
 * @param password       the password hash, or null for a user that logs in by certificate only
 * @param certificate    the subject of the client certificate that logs in as this user, or null
 * @param maxConnections connections this user may have open at once, overriding
 *                       {@code security.maxConnectionsPerUser}: 0 for no limit, {@link #DEFAULT_LIMIT}
 *                       when the file does not say
 */
public record User(String name, PasswordHash password, List<String> groups, X500Principal certificate,
                   int maxConnections) {

    /** {@link #maxConnections} of a user the file gives none: the broker-wide limit applies. */
    public static final int DEFAULT_LIMIT = -1;

    public User {
        Objects.requireNonNull(name, "name");
        if (password == null && certificate == null) {
            throw new IllegalArgumentException("user " + name + " needs a password or a certificate");
        }
        groups = List.copyOf(groups);
        if (maxConnections < DEFAULT_LIMIT) {
            throw new IllegalArgumentException("maxConnections of user " + name + " must be 0 or more");
        }
    }

    /** A user that logs in by password, under the broker-wide connection limit. */
    public User(String name, PasswordHash password, List<String> groups) {
        this(name, password, groups, null, DEFAULT_LIMIT);
    }

    /** A user that logs in by password and/or certificate, under the broker-wide connection limit. */
    public User(String name, PasswordHash password, List<String> groups, X500Principal certificate) {
        this(name, password, groups, certificate, DEFAULT_LIMIT);
    }

    /** A user that logs in by password, with its own connection limit. */
    public User(String name, PasswordHash password, List<String> groups, int maxConnections) {
        this(name, password, groups, null, maxConnections);
    }

    /** The same user with another password hash, keeping the rest. */
    public User withPassword(PasswordHash hash) {
        return new User(name, hash, groups, certificate, maxConnections);
    }
}
