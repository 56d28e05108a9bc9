package io.junction.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/junction}: runs, starts, stops and inspects a broker. Each command prints a
 * human-readable line by default (and JSON with {@code --json} where it reports state), and exits
 * non-zero with a one-line reason on failure.
 */
@Command(name = "junction", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Junction multi-protocol message broker.",
        subcommands = {RunCommand.class, StartCommand.class, StopCommand.class, StatusCommand.class,
                TlsKeystoreCommand.class, UsersCommand.class})
public final class Main {

    public static void main(String[] args) {
        Logging.useDefaultDirectory();
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((error, arguments) -> {
            CommandLine cmd = error.getCommandLine();
            cmd.getErr().println("junction: " + error.getMessage() + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println("junction: " + error.getMessage());
            return error instanceof CommandFailure failure ? failure.exitCode() : 1;
        });
        System.exit(commandLine.execute(args));
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"Junction " + (version == null ? "(development build)" : version)};
        }
    }
}
