package io.junction.core.security;

import javax.security.auth.x500.X500Principal;
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
public record Users(Map<String, User> users, Guest anonymous, Acls acls, Map<X500Principal, User> byCertificate) {

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

    /**
     * The users, indexed by certificate subject too. Subjects are compared as X.500 names (the
     * canonical form of {@link X500Principal#equals}): spacing and the letter case of attribute
     * keys and values do not matter, the order of the attributes does.
     *
     * @throws IllegalArgumentException when two users name the same certificate subject
     */
    public Users(Map<String, User> users, Guest anonymous, Acls acls) {
        this(users, anonymous, acls, indexByCertificate(users.values()));
    }

    public Users(Map<String, User> users, Guest anonymous) {
        this(users, anonymous, Acls.NONE);
    }

    private static Map<X500Principal, User> indexByCertificate(Collection<User> users) {
        Map<X500Principal, User> index = new java.util.HashMap<>();
        for (User user : users) {
            if (user.certificate() != null) {
                User other = index.putIfAbsent(user.certificate(), user);
                if (other != null) {
                    throw new IllegalArgumentException("users " + other.name() + " and " + user.name()
                            + " have the same certificate subject " + user.certificate().getName());
                }
            }
        }
        return java.util.Collections.unmodifiableMap(index);
    }

    /** The user a client certificate with this subject logs in as. */
    public Optional<User> userWithCertificate(X500Principal subject) {
        return subject == null ? Optional.empty() : Optional.ofNullable(byCertificate.get(subject));
    }

    /**
     * The most PBKDF2 iterations of the users' password hashes, 0 when no user has a password: an
     * unknown user's password is checked against a hash of as many, so that the refusal takes as
     * long as a known user's.
     */
    public int maxIterations() {
        return users.values().stream().filter(user -> user.password() != null)
                .mapToInt(user -> user.password().iterations()).max().orElse(0);
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
