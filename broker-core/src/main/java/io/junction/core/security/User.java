package io.junction.core.security;

import javax.security.auth.x500.X500Principal;
import java.util.List;
import java.util.Objects;

/**
 * One user of {@code users.yaml}: name, groups, and how it logs in: a password hash, the subject
 * of a client certificate, or both (at least one).
 *
 * @param password    the password hash, or null for a user that logs in by certificate only
 * @param certificate the subject of the client certificate that logs in as this user, or null
 */
public record User(String name, PasswordHash password, List<String> groups, X500Principal certificate) {

    public User {
        Objects.requireNonNull(name, "name");
        if (password == null && certificate == null) {
            throw new IllegalArgumentException("user " + name + " needs a password or a certificate");
        }
        groups = List.copyOf(groups);
    }

    /** A user that logs in by password. */
    public User(String name, PasswordHash password, List<String> groups) {
        this(name, password, groups, null);
    }

    /** The same user with another password hash. */
    public User withPassword(PasswordHash hash) {
        return new User(name, hash, groups, certificate);
    }
}
