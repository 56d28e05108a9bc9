package io.junction.core.security;

import java.util.List;
import java.util.Optional;

/**
 * Who may connect through one listener.
 *
 * @param allowAnonymous the listener's {@code allowAnonymous}; empty when not given, which means
 *                       allowed on a loopback address and refused on any other
 * @param groups         the listener's {@code groups}: when not empty, only users of one of these
 *                       groups may connect (anonymous connections included, through their guest groups)
 */
public record ListenerAccess(Optional<Boolean> allowAnonymous, List<String> groups) {

    public static final ListenerAccess DEFAULT = new ListenerAccess(Optional.empty(), List.of());

    public ListenerAccess {
        groups = List.copyOf(groups);
    }
}
