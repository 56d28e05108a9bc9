package io.junction.server;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Starts the broker in the background: a new JVM runs {@code junction run} with the same options,
 * its console output going to {@code <data>/junction.out}. Returns once the broker has written
 * its pid file (it is listening), or fails with the end of that output if it exits first.
 */
@Command(name = "start", description = "Start the broker in the background.")
final class StartCommand implements Callable<Integer> {

    @Mixin
    BrokerOptions options;

    @Option(names = "--salvage", description = "Start even if a journal segment is damaged (see 'run --salvage').")
    boolean salvage;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the broker to be up (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Override
    public Integer call() throws Exception {
        BrokerConfig config = options.load(JunctionServer.discoverModules());
        Path data = config.broker().dataDirectory();
        Path pidFile = options.pidFile(config);
        Optional<ProcessHandle> running = PidFile.runningBroker(pidFile);
        if (running.isPresent()) {
            throw new CommandFailure("a broker is already running on data directory " + data
                    + " (pid " + running.get().pid() + ")", 1);
        }
        Files.createDirectories(data);
        Files.deleteIfExists(pidFile);
        Path out = data.resolve("junction.out");

        Process process = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (System.nanoTime() < deadline) {
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new CommandFailure("broker exited during start-up (code " + process.exitValue() + "): "
                        + lastLine(out) + " (full output in " + out + ")", 1);
            }
            if (PidFile.runningBroker(pidFile).map(p -> p.pid() == process.pid()).orElse(false)) {
                System.out.println("Junction started (pid " + process.pid() + ", output in " + out + ")");
                return 0;
            }
        }
        throw new CommandFailure("broker (pid " + process.pid() + ") was not up after " + waitSeconds
                + " s; see " + out, 1);
    }

    /** The same JVM, class path and JVM options as this process, running {@code run}. */
    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Djunction.consoleLevel=OFF");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("run");
        if (salvage) {
            command.add("--salvage");
        }
        if (options.config != null) {
            command.add("--config=" + options.config.toAbsolutePath());
        }
        if (options.dataDirectory != null) {
            command.add("--data-dir=" + BrokerOptions.home().resolve(options.dataDirectory));
        }
        for (Map.Entry<String, Integer> port : options.ports.entrySet()) {
            command.add("--port=" + port.getKey() + "=" + port.getValue());
        }
        return command;
    }

    private static String lastLine(Path out) {
        try {
            List<String> lines = Files.readAllLines(out);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "no output";
    }
}
