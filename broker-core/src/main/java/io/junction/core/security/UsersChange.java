package io.junction.core.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an edit of {@code users.yaml} changed, in words for the audit log: users added and removed,
 * passwords, groups, certificate subjects and connection limits changed, the anonymous mapping, the number of ACL entries. Never a hash.
 */
public final class UsersChange {

    private UsersChange() {
    }

    /** For example {@code added=[bob] password=[alice] acls=3->4}; {@code none} when nothing changed. */
    public static String describe(Users before, Users after) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> password = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> certificate = new ArrayList<>();
        List<String> limit = new ArrayList<>();
        for (User user : after.users().values()) {
            User old = before.users().get(user.name());
            if (old == null) {
                added.add(user.name());
            } else {
                if (!Objects.equals(old.password(), user.password())) {
                    password.add(user.name());
                }
                if (!old.groups().equals(user.groups())) {
                    groups.add(user.name());
                }
                if (!Objects.equals(old.certificate(), user.certificate())) {
                    certificate.add(user.name());
                }
                if (old.maxConnections() != user.maxConnections()) {
                    limit.add(user.name());
                }
            }
        }
        for (String name : before.users().keySet()) {
            if (!after.users().containsKey(name)) {
                removed.add(name);
            }
        }
        StringBuilder out = new StringBuilder();
        append(out, "added", added);
        append(out, "removed", removed);
        append(out, "password", password);
        append(out, "groups", groups);
        append(out, "certificate", certificate);
        append(out, "maxConnections", limit);
        if (!Objects.equals(before.anonymous(), after.anonymous())) {
            out.append(out.isEmpty() ? "" : " ").append("anonymous=changed");
        }
        if (!before.acls().equals(after.acls())) {
            out.append(out.isEmpty() ? "" : " ").append("acls=").append(before.acls().entries().size())
                    .append("->").append(after.acls().entries().size());
        }
        return out.isEmpty() ? "none" : out.toString();
    }

    private static void append(StringBuilder out, String what, List<String> names) {
        if (!names.isEmpty()) {
            out.append(out.isEmpty() ? "" : " ").append(what).append('=').append(names);
        }
    }
}
