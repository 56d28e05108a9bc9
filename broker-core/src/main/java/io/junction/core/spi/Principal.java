package io.junction.core.spi;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a connection acts as once authenticated: a user of {@code users.yaml} and its groups,
 * or an anonymous client (user {@link #ANONYMOUS}, or the guest user the users file maps
 * anonymous connections to).
 *
 * @param anonymous true when the client gave no user name
 */
public record Principal(String user, Set<String> groups, boolean anonymous) {

    public static final String ANONYMOUS = "anonymous";

    public Principal {
        // In the order of users.yaml, for logs.
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
    }
}
