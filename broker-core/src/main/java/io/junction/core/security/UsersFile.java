package io.junction.core.security;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes {@code users.yaml} safely: the whole file goes to a temporary file in the same
 * directory, is forced to disk and then moved over the old one atomically, so that the broker
 * (which reloads the file on change) never reads half of it. The file is readable by its owner
 * only where the file system has POSIX permissions.
 */
public final class UsersFile {

    private UsersFile() {
    }

    /** The YAML of the users file, with a short header; comments of an earlier file are not kept. */
    public static String render(Users users) {
        StringBuilder out = new StringBuilder();
        out.append("""
                # Junction users: edit with bin/junction users add|passwd|remove|list.
                # Passwords are salted PBKDF2 hashes (algorithm:iterations:salt:hash); never write a
                # plain password here. A user's 'certificate' is the subject of the TLS client certificate
                # that logs in as it. The broker reloads this file within seconds of a change.
                """);
        out.append("users:");
        if (users.users().isEmpty()) {
            out.append(" []");
        }
        out.append('\n');
        for (User user : users.users().values()) {
            out.append("  - name: ").append(quote(user.name())).append('\n');
            if (user.password() != null) {
                out.append("    password: ").append(quote(user.password().encoded())).append('\n');
            }
            if (user.certificate() != null) {
                out.append("    certificate: ").append(quoteEscaped(user.certificate().getName())).append('\n');
            }
            out.append("    groups: [").append(String.join(", ", user.groups().stream().map(UsersFile::quote).toList()))
                    .append("]\n");
            if (user.maxConnections() != User.DEFAULT_LIMIT) {
                out.append("    maxConnections: ").append(user.maxConnections()).append('\n');
            }
        }
        Users.Guest guest = users.anonymous();
        if (guest != null) {
            out.append("""
                    # What anonymous connections act as, on listeners that allow them.
                    anonymous:
                    """);
            out.append("  enabled: ").append(guest.enabled()).append('\n');
            out.append("  user: ").append(quote(guest.user())).append('\n');
            out.append("  groups: [").append(String.join(", ", guest.groups().stream().map(UsersFile::quote).toList()))
                    .append("]\n");
        }
        if (!users.acls().isEmpty()) {
            out.append("# Access control lists: the first entry matching a destination decides; once there is one,\n");
            out.append("# destinations no entry matches are refused.\n");
            out.append("acls:\n");
            for (Acls.Entry entry : users.acls().entries()) {
                out.append("  - match: ").append(quote(entry.match())).append('\n');
                out.append("    type: ").append(entry.type().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
                out.append("    read: ").append(grant(entry.read())).append('\n');
                out.append("    write: ").append(grant(entry.write())).append('\n');
                out.append("    admin: ").append(grant(entry.admin())).append('\n');
            }
        }
        return out.toString();
    }

    private static String grant(Acls.Grant grant) {
        java.util.List<String> items = new java.util.ArrayList<>();
        if (grant.everyone()) {
            items.add(quote("*"));
        }
        grant.users().stream().sorted().forEach(user -> items.add(quote("user:" + user)));
        grant.groups().stream().sorted().forEach(group -> items.add(quote(group)));
        return "[" + String.join(", ", items) + "]";
    }

    /** Replaces the file with {@code users}, atomically. */
    public static void write(Path file, Users users) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.UTF_8.encode(render(users)));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // Names are checked against Users.NAME, and hashes are Base64: double quotes need no escapes.
    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    /** A YAML double-quoted scalar of any text: a distinguished name may hold quotes and backslashes. */
    private static String quoteEscaped(String text) {
        return quote(text.replace("\\", "\\\\").replace("\"", "\\\""));
    }
}
