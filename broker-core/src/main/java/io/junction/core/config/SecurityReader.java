package io.junction.core.config;

import io.junction.core.security.ListenerAccess;
import io.junction.core.security.Users;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the {@code security} section and the {@code allowAnonymous} / {@code groups} keys of the listeners. */
final class SecurityReader {

    static final List<String> KEYS = List.of("usersFile", "maxConnectionsPerUser");
    /** The keys of a listener that this reader, not {@link ListenersReader}, reads. */
    static final List<String> LISTENER_KEYS = List.of("allowAnonymous", "groups");

    private SecurityReader() {
    }

    /** @param configDirectory the directory of the config file, which a relative usersFile resolves against */
    static SecurityConfig read(YamlMap root, Path configDirectory) {
        YamlMap section = root.map("security", KEYS);
        Path usersFile = section.scalar("usersFile").map(value -> {
            try {
                return configDirectory.resolve(value.nonEmpty()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw value.invalid("a file system path", e.getReason());
            }
        }).orElse(SecurityConfig.defaults(configDirectory).usersFile());
        int maxConnectionsPerUser = section.scalar("maxConnectionsPerUser").map(value -> (int) value.asWholeNumber(0,
                Integer.MAX_VALUE, "0 (no limit) or a whole number of connections")).orElse(0);
        Map<String, ListenerAccess> access = new LinkedHashMap<>();
        if (root.has("listeners")) {
            for (YamlMap item : root.mapList("listeners", ListenersReader.KEYS)) {
                Optional<Boolean> anonymous = item.scalar("allowAnonymous").map(Scalar::asBoolean);
                List<String> groups = item.scalarList("groups").orElse(List.of()).stream()
                        .map(SecurityReader::groupName).toList();
                if (anonymous.isPresent() || !groups.isEmpty()) {
                    access.put(item.required("name").text(), new ListenerAccess(anonymous, groups));
                }
            }
        }
        return new SecurityConfig(usersFile, access, maxConnectionsPerUser);
    }

    static String groupName(Scalar value) {
        if (!Users.NAME.matcher(value.text()).matches()) {
            throw value.invalid("a group name of letters, digits, '.', '_', '@' and '-'");
        }
        return value.text();
    }
}
