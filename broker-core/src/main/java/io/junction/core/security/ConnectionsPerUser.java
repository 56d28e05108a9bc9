package io.junction.core.security;

import io.junction.core.spi.TooManyConnectionsException;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Counts the open connections of each user and refuses one more than the user may have: its own
 * {@code maxConnections} from {@code users.yaml} when it has one, else the broker-wide
 * {@code security.maxConnectionsPerUser}. Anonymous connections count as the user name they act as.
 * The limit is read at each opening, so that a reloaded users file applies to the next connection;
 * connections already open stay open. Safe for concurrent use.
 */
public final class ConnectionsPerUser {

    /** No limit and no per-user settings, for a broker without security (tests). */
    public static final ConnectionsPerUser UNLIMITED = new ConnectionsPerUser(0, () -> Users.NONE);

    private final int defaultLimit;
    private final Supplier<Users> users;
    /** Open connections by user name; a user with none has no entry. */
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /**
     * @param defaultLimit connections a user without its own {@code maxConnections} may have (0: no limit)
     * @param users        the users file in force now
     */
    public ConnectionsPerUser(int defaultLimit, Supplier<Users> users) {
        if (defaultLimit < 0) {
            throw new IllegalArgumentException("defaultLimit must be 0 or more");
        }
        this.defaultLimit = defaultLimit;
        this.users = Objects.requireNonNull(users, "users");
    }

    /**
     * Counts one more connection of {@code user}, unless it has as many as it may.
     *
     * @throws TooManyConnectionsException when it has; nothing is counted then
     */
    public void opened(String user) throws TooManyConnectionsException {
        int limit = limitOf(user);
        boolean[] admitted = {false};
        open.compute(user, (name, count) -> {
            int now = count == null ? 0 : count;
            if (limit > 0 && now >= limit) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            throw new TooManyConnectionsException("user '" + user + "' has " + limit + " connection"
                    + (limit == 1 ? "" : "s") + " open, as many as it may");
        }
    }

    /** Counts one connection of {@code user} less; it must have been counted by {@link #opened}. */
    public void closed(String user) {
        open.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
    }

    /** Connections of the user open now. */
    public int openConnections(String user) {
        return open.getOrDefault(user, 0);
    }

    /** The limit that applies to the user now: 0 for none. */
    private int limitOf(String user) {
        return users.get().user(user).map(User::maxConnections).filter(own -> own != User.DEFAULT_LIMIT)
                .orElse(defaultLimit);
    }
}
