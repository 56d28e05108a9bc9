package io.junction.core.security;

import io.junction.core.model.Destination;
import io.junction.core.spi.Principal;

import java.util.List;
import java.util.Set;

/**
 * The access control lists of {@code users.yaml}: per destination pattern, who may read
 * (subscribe, consume, browse), write (send, publish) and administer
 * (create, which includes the auto-creation of a destination on first use and temporary
 * destinations) it. Immutable; a reload replaces the whole.
 *
 * <p>No entry at all means everything is allowed. Once there is one entry, a destination that no
 * entry matches is refused (default deny). The first entry, in file order, whose pattern and type
 * match decides; later entries are not consulted.
 *
 * <p>Patterns use the broker's wildcards: {@code *} is exactly one word, {@code >} the remaining
 * words, none included ({@code orders.>} matches {@code orders} and {@code orders.eu.new}). A
 * wildcard subscription is checked as a pattern: it is allowed only when every destination it can
 * match is matched by the entry's pattern.
 *
 * <p>Temporary queues and topics are matched only by entries of type {@link Kind#TEMPORARY}
 * (pattern {@code >}), as ActiveMQ keeps a separate entry for them: {@code admin} there creates
 * and deletes them, {@code write} sends to them (a reply), {@code read} consumes from them.
 */
public record Acls(List<Entry> entries) {

    public static final Acls NONE = new Acls(List.of());

    /** What a connection asks to do. */
    public enum Action {
        READ, WRITE, ADMIN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which kind of destination an entry is about; {@code ANY} is queues and topics, not temporary ones. */
    public enum Kind {
        QUEUE, TOPIC, ANY, TEMPORARY
    }

    /**
     * Who holds a permission: user names and group names; {@code everyone} grants it to every
     * connection (authenticated or anonymous).
     */
    public record Grant(Set<String> users, Set<String> groups, boolean everyone) {
        public static final Grant NOBODY = new Grant(Set.of(), Set.of(), false);

        public Grant {
            users = Set.copyOf(users);
            groups = Set.copyOf(groups);
        }

        boolean allows(Principal principal) {
            return everyone || users.contains(principal.user())
                    || principal.groups().stream().anyMatch(groups::contains);
        }
    }

    /** One entry: a pattern, the type of destination it is about, and its three permissions. */
    public record Entry(String match, Kind type, Grant read, Grant write, Grant admin) {

        boolean matches(Destination destination) {
            if (destination.type().isTemporary() || type == Kind.TEMPORARY) {
                return destination.type().isTemporary() && type == Kind.TEMPORARY;
            }
            boolean topic = destination.isTopic();
            if (type == Kind.QUEUE && topic || type == Kind.TOPIC && !topic) {
                return false;
            }
            return covers(match.split("\\.", -1), 0, destination.name().split("\\.", -1), 0);
        }

        Grant grant(Action action) {
            return switch (action) {
                case READ -> read;
                case WRITE -> write;
                case ADMIN -> admin;
            };
        }
    }

    public Acls {
        entries = List.copyOf(entries);
    }

    /** True when no ACL is configured: everything is allowed. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether the principal may do the action on the destination (or, for a wildcard, on all it matches). */
    public boolean allows(Principal principal, Action action, Destination destination) {
        if (entries.isEmpty()) {
            return true;
        }
        for (Entry entry : entries) {
            if (entry.matches(destination)) {
                return entry.grant(action).allows(principal);
            }
        }
        return false;
    }

    /**
     * Whether every name the subscription pattern {@code name} (from word {@code j}) can match is
     * matched by the ACL pattern (from word {@code i}). For a plain name this is ordinary matching.
     */
    static boolean covers(String[] acl, int i, String[] name, int j) {
        if (i == acl.length) {
            return j == name.length;
        }
        String word = acl[i];
        if (word.equals(">")) {
            return true;
        }
        if (j == name.length) {
            return false;
        }
        String other = name[j];
        if (other.equals(">")) {
            return false;
        }
        if (word.equals("*")) {
            return covers(acl, i + 1, name, j + 1);
        }
        return !other.equals("*") && word.equals(other) && covers(acl, i + 1, name, j + 1);
    }
}
