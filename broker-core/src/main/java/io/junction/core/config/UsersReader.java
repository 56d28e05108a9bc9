package io.junction.core.config;

import io.junction.core.security.PasswordHash;
import io.junction.core.security.User;
import io.junction.core.security.Users;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code users.yaml}: a {@code users} list (name, password hash, groups) and an optional
 * {@code anonymous} guest mapping. Problems are {@link ConfigException}s naming file and line.
 */
public final class UsersReader {

    static final List<String> SECTIONS = List.of("users", "anonymous");
    static final List<String> USER_KEYS = List.of("name", "password", "groups");
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
        for (YamlMap item : root.mapList("users", USER_KEYS)) {
            Scalar name = item.required("name");
            if (!Users.NAME.matcher(name.text()).matches()) {
                throw name.invalid("a user name of letters, digits, '.', '_', '@' and '-'");
            }
            Integer first = lines.putIfAbsent(name.text(), YamlSource.line(item.node()));
            if (first != null) {
                throw name.error("user '" + name.text() + "' is listed twice", "first on line " + first);
            }
            Scalar password = item.required("password");
            PasswordHash hash = PasswordHash.parse(password.text()).orElseThrow(() -> password.error(
                    "'password' of user '" + name.text() + "' is not a password hash",
                    "set passwords with: bin/junction users passwd " + name.text()));
            users.add(new User(name.text(), hash, groups(item)));
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
        return Users.of(users, guest);
    }

    private static List<String> groups(YamlMap item) {
        return item.scalarList("groups").orElse(List.of()).stream().map(SecurityReader::groupName).distinct().toList();
    }
}
