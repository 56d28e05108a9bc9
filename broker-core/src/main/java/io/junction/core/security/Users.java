package io.junction.core.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The content of {@code users.yaml}: the users in file order, and what anonymous connections act
 * as, and the access control lists. Immutable; a reload replaces the whole.
 *
 * @param anonymous the guest mapping of anonymous connections, or null when the file has none
 *                  (anonymous connections then act as user {@code anonymous} with no groups)
 */
public record Users(Map<String, User> users, Guest anonymous, Acls acls) {

    /** Names of users and groups: letters, digits, '.', '_', '@' and '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");

    public static final Users NONE = new Users(Map.of(), null, Acls.NONE);

    /**
     * What anonymous connections act as, when {@code enabled}.
     *
     * @param user   the user name they act as (need not be a user of the file)
     * @param groups the groups they are in
     */
    public record Guest(boolean enabled, String user, List<String> groups) {
        public Guest {
            groups = List.copyOf(groups);
        }
    }

    public Users {
        users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(users));
        acls = acls == null ? Acls.NONE : acls;
    }

    public Users(Map<String, User> users, Guest anonymous) {
        this(users, anonymous, Acls.NONE);
    }

    public static Users of(Collection<User> list, Guest anonymous, Acls acls) {
        Map<String, User> byName = new LinkedHashMap<>();
        list.forEach(user -> byName.put(user.name(), user));
        return new Users(byName, anonymous, acls);
    }

    public static Users of(Collection<User> list, Guest anonymous) {
        Map<String, User> byName = new LinkedHashMap<>();
        list.forEach(user -> byName.put(user.name(), user));
        return new Users(byName, anonymous);
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public List<User> list() {
        return new ArrayList<>(users.values());
    }

    /** A copy with this user added or replaced (same place in the file when replaced). */
    public Users with(User user) {
        Map<String, User> copy = new LinkedHashMap<>(users);
        copy.put(user.name(), user);
        return new Users(copy, anonymous, acls);
    }

    public Users without(String name) {
        Map<String, User> copy = new LinkedHashMap<>(users);
        copy.remove(name);
        return new Users(copy, anonymous, acls);
    }
}
