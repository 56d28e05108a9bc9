package io.junction.core.config;

import io.junction.core.security.Acls;
import io.junction.core.security.PasswordHash;
import io.junction.core.security.User;
import io.junction.core.security.Users;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code users.yaml}: a {@code users} list (name, password hash and/or client certificate
 * subject, groups) and an optional
 * {@code anonymous} guest mapping and an optional {@code acls} list (see {@link Acls}). Problems are {@link ConfigException}s naming file and line.
 */
public final class UsersReader {

    static final List<String> SECTIONS = List.of("users", "anonymous", "acls");
    static final List<String> ACL_KEYS = List.of("match", "type", "read", "write", "admin");
    static final List<String> USER_KEYS = List.of("name", "password", "certificate", "groups", "maxConnections");
    static final List<String> ANONYMOUS_KEYS = List.of("enabled", "user", "groups");

    private UsersReader() {
    }

    /** Reads the file; a missing file is a {@link ConfigException} too (see {@link ConfigException#file()}). */
    public static Users read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.notFound(file);
        } catch (IOException e) {
            throw ConfigException.unreadable(file, e);
        }
        return parse(file.toString(), text);
    }

    /** Reads the text of a users file; {@code label} names it in messages. */
    public static Users parse(String label, String text) {
        YamlSource source = new YamlSource(label, name -> null);
        YamlMap root = YamlMap.of(source, ConfigLoader.compose(label, text), "", SECTIONS);
        List<User> users = new ArrayList<>();
        Map<String, Integer> lines = new HashMap<>();
        Map<X500Principal, String> certificates = new HashMap<>();
        for (YamlMap item : root.mapList("users", USER_KEYS)) {
            Scalar name = item.required("name");
            if (!Users.NAME.matcher(name.text()).matches()) {
                throw name.invalid("a user name of letters, digits, '.', '_', '@' and '-'");
            }
            Integer first = lines.putIfAbsent(name.text(), YamlSource.line(item.node()));
            if (first != null) {
                throw name.error("user '" + name.text() + "' is listed twice", "first on line " + first);
            }
            if (!item.has("password") && !item.has("certificate")) {
                throw item.error("user '" + name.text() + "' has neither a 'password' nor a 'certificate'",
                        "set a password with: bin/junction users passwd " + name.text()
                                + ", or map a client certificate: certificate: \"CN=...,O=...\"");
            }
            PasswordHash hash = item.scalar("password").map(password -> PasswordHash.parse(password.text())
                    .orElseThrow(() -> password.error("'password' of user '" + name.text() + "' is not a password hash",
                            "set passwords with: bin/junction users passwd " + name.text()))).orElse(null);
            X500Principal certificate = item.scalar("certificate").map(value -> {
                X500Principal subject = certificateSubject(value);
                String other = certificates.putIfAbsent(subject, name.text());
                if (other != null) {
                    throw value.error("certificate subject '" + value.text() + "' of user '" + name.text()
                            + "' is user '" + other + "''s already", "a certificate logs in as one user only");
                }
                return subject;
            }).orElse(null);
            int maxConnections = item.scalar("maxConnections").map(value -> (int) value.asWholeNumber(0,
                    Integer.MAX_VALUE, "0 (no limit) or a whole number of connections")).orElse(User.DEFAULT_LIMIT);
            users.add(new User(name.text(), hash, groups(item), certificate, maxConnections));
        }
        Users.Guest guest = null;
        if (root.has("anonymous")) {
            YamlMap anonymous = root.map("anonymous", ANONYMOUS_KEYS);
            boolean enabled = anonymous.scalar("enabled").map(Scalar::asBoolean).orElse(false);
            String user = anonymous.scalar("user").map(value -> {
                if (!Users.NAME.matcher(value.text()).matches()) {
                    throw value.invalid("a user name of letters, digits, '.', '_', '@' and '-'");
                }
                return value.text();
            }).orElse("guest");
            guest = new Users.Guest(enabled, user, groups(anonymous));
        }
        List<Acls.Entry> acls = new ArrayList<>();
        for (YamlMap item : root.mapList("acls", ACL_KEYS)) {
            acls.add(acl(item));
        }
        return Users.of(users, guest, new Acls(acls));
    }

    /** A distinguished name as RFC 2253 writes it, such as {@code CN=sensor-17,O=Example}. */
    private static X500Principal certificateSubject(Scalar value) {
        try {
            if (value.text().isBlank()) {
                throw new IllegalArgumentException("empty");
            }
            return new X500Principal(value.text());
        } catch (IllegalArgumentException e) {
            throw value.invalid("a certificate subject (distinguished name) such as \"CN=sensor-17,O=Example\"");
        }
    }

    private static Acls.Entry acl(YamlMap item) {
        Scalar match = item.required("match");
        String pattern = match.text();
        String[] words = pattern.split("\\.", -1);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            boolean wildcardInWord = !word.equals("*") && !word.equals(">") && (word.contains("*") || word.contains(">"));
            if (pattern.isEmpty() || pattern.contains(",") || wildcardInWord || word.equals(">") && i != words.length - 1) {
                throw match.invalid("a destination name or pattern of words separated by dots, where '*' is one "
                        + "word and '>' (last only) the remaining words, e.g. orders.> or sensors.*.temp");
            }
        }
        Acls.Kind type = item.scalar("type").map(value -> switch (value.text()) {
            case "queue" -> Acls.Kind.QUEUE;
            case "topic" -> Acls.Kind.TOPIC;
            case "any" -> Acls.Kind.ANY;
            case "temporary" -> Acls.Kind.TEMPORARY;
            default -> throw value.invalid("queue, topic, any or temporary");
        }).orElse(Acls.Kind.ANY);
        if (type == Acls.Kind.TEMPORARY && !pattern.equals(">")) {
            // Their names are generated per connection, so a pattern could only ever mean "all of them".
            throw match.invalid("\">\" for type temporary: it is about all temporary queues and topics");
        }
        return new Acls.Entry(pattern, type, grant(item, "read"), grant(item, "write"), grant(item, "admin"));
    }

    /** {@code [user:alice, apps, "*"]}: users with a {@code user:} prefix, groups by name, {@code *} everyone. */
    private static Acls.Grant grant(YamlMap item, String key) {
        Set<String> users = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        boolean everyone = false;
        for (Scalar value : item.scalarList(key).orElse(List.of())) {
            String text = value.text();
            if (text.equals("*")) {
                everyone = true;
            } else if (text.startsWith("user:")) {
                String name = text.substring("user:".length());
                if (!Users.NAME.matcher(name).matches()) {
                    throw value.invalid("user:<name> with a user name of letters, digits, '.', '_', '@' and '-'");
                }
                users.add(name);
            } else if (Users.NAME.matcher(text).matches()) {
                groups.add(text);
            } else {
                throw value.invalid("a group name, user:<name> or \"*\" (everyone)");
            }
        }
        return new Acls.Grant(users, groups, everyone);
    }

    private static List<String> groups(YamlMap item) {
        return item.scalarList("groups").orElse(List.of()).stream().map(SecurityReader::groupName).distinct().toList();
    }
}
