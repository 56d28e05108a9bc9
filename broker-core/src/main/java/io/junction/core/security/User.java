package io.junction.core.security;

import java.util.List;
import java.util.Objects;

/** One user of {@code users.yaml}: name, password hash and the groups it belongs to. */
public record User(String name, PasswordHash password, List<String> groups) {

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        groups = List.copyOf(groups);
    }
}
