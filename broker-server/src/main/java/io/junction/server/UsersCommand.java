package io.junction.server;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigException;
import io.junction.core.config.UsersReader;
import io.junction.core.security.PasswordHash;
import io.junction.core.security.User;
import io.junction.core.security.Users;
import io.junction.core.security.UsersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code bin/junction users add|passwd|remove|list}: edits the users file that the configuration
 * names ({@code security.usersFile}). Passwords are read from the terminal without echo, or as one
 * line from standard input when that is not a terminal; they are never printed. A running broker
 * picks the change up within seconds.
 */
@Command(name = "users", description = "Manage the users of the broker (conf/users.yaml).",
        subcommands = {UsersCommand.Add.class, UsersCommand.Passwd.class, UsersCommand.Remove.class,
                UsersCommand.ListUsers.class})
final class UsersCommand {

    /** What every users command shares: the configuration, hence the users file. */
    abstract static class UsersFileCommand implements Callable<Integer> {

        @Mixin
        BrokerOptions options;

        Path usersFile() {
            BrokerConfig config = options.load(JunctionServer.discoverModules());
            return config.security().usersFile();
        }

        Users read(Path file) {
            if (!Files.exists(file)) {
                return Users.NONE;
            }
            try {
                return UsersReader.read(file);
            } catch (ConfigException e) {
                throw new CommandFailure(e.getMessage() + "; fix the file first", 2);
            }
        }

        void write(Path file, Users users) {
            try {
                UsersFile.write(file, users);
            } catch (IOException e) {
                throw new CommandFailure("cannot write " + file + ": " + e.getMessage(), 1);
            }
        }

        static void checkName(String name) {
            if (!Users.NAME.matcher(name).matches()) {
                throw new CommandFailure("'" + name + "' is not a valid user name: letters, digits, '.', '_', '@' "
                        + "and '-' only", 2);
            }
        }
    }

    /** Asks for the user's new password and hashes it; the typed characters are wiped at once. */
    private static PasswordHash newPasswordHash(String user) {
        char[] password = readPassword(user);
        try {
            return PasswordHash.create(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Reads a new password: twice without echo on a terminal, else one line of standard input. */
    private static char[] readPassword(String user) {
        Console console = interactiveConsole();
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", user);
            char[] second = console.readPassword("Repeat the password: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new CommandFailure("the passwords do not match", 1);
            }
            Arrays.fill(second, '\0');
            return checkedPassword(first);
        }
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new CommandFailure("no password on standard input", 1);
            }
            return checkedPassword(line.toCharArray());
        } catch (IOException e) {
            throw new CommandFailure("cannot read the password: " + e.getMessage(), 1);
        }
    }

    private static char[] checkedPassword(char[] password) {
        if (password.length == 0) {
            throw new CommandFailure("the password is empty", 1);
        }
        return password;
    }

    /** The console when standard input and output are a terminal (Java 22+ returns one otherwise too). */
    private static Console interactiveConsole() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Object terminal = Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console;
        }
    }

    @Command(name = "add", description = "Add a user; the password is asked for (or read from standard input).")
    static final class Add extends UsersFileCommand {

        @Parameters(paramLabel = "USER", description = "User name.")
        String name;

        @Option(names = {"-g", "--group"}, paramLabel = "GROUP", split = ",",
                description = "Group of the user; repeatable or comma-separated.")
        List<String> groups = new ArrayList<>();

        @Override
        public Integer call() {
            checkName(name);
            groups.forEach(UsersFileCommand::checkName);
            Path file = usersFile();
            Users users = read(file);
            if (users.user(name).isPresent()) {
                throw new CommandFailure("user '" + name + "' exists already; use 'junction users passwd " + name
                        + "' to change its password", 1);
            }
            PasswordHash hash = newPasswordHash(name);
            write(file, users.with(new User(name, hash, groups.stream().distinct().toList())));
            System.out.println("Added user " + name + (groups.isEmpty() ? "" : " in groups " + String.join(", ", groups))
                    + " to " + file);
            return 0;
        }
    }

    @Command(name = "passwd", description = "Change a user's password.")
    static final class Passwd extends UsersFileCommand {

        @Parameters(paramLabel = "USER", description = "User name.")
        String name;

        @Override
        public Integer call() {
            Path file = usersFile();
            Users users = read(file);
            User user = users.user(name).orElseThrow(() -> new CommandFailure("no user '" + name + "' in " + file, 1));
            PasswordHash hash = newPasswordHash(name);
            write(file, users.with(user.withPassword(hash)));
            System.out.println("Changed the password of " + name + " in " + file);
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a user.")
    static final class Remove extends UsersFileCommand {

        @Parameters(paramLabel = "USER", description = "User name.")
        String name;

        @Override
        public Integer call() {
            Path file = usersFile();
            Users users = read(file);
            if (users.user(name).isEmpty()) {
                throw new CommandFailure("no user '" + name + "' in " + file, 1);
            }
            write(file, users.without(name));
            System.out.println("Removed user " + name + " from " + file);
            return 0;
        }
    }

    @Command(name = "list", description = "List the users and their groups (never their password hashes).")
    static final class ListUsers extends UsersFileCommand {

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            Users users = read(usersFile());
            if (json) {
                System.out.println(users.users().values().stream()
                        .map(user -> "{\"user\":\"" + user.name() + "\",\"groups\":["
                                + user.groups().stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(","))
                                + "]}")
                        .collect(Collectors.joining(",", "[", "]")));
                return 0;
            }
            int width = Math.max(4, users.users().keySet().stream().mapToInt(String::length).max().orElse(0));
            System.out.printf("%-" + width + "s  %s%n", "USER", "GROUPS");
            for (User user : users.users().values()) {
                System.out.printf("%-" + width + "s  %s%n", user.name(), String.join(",", user.groups()));
            }
            Users.Guest guest = users.anonymous();
            if (guest != null && guest.enabled()) {
                System.out.println("(anonymous connections act as " + guest.user()
                        + (guest.groups().isEmpty() ? "" : " in groups " + String.join(",", guest.groups())) + ")");
            }
            return 0;
        }
    }
}
