package io.junction.interop.durability;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code bin/junction run} as a child process on a fixed data directory, that a test can
 * start again and again, each time on a new free STOMP port, and kill with SIGKILL. The script
 * {@code exec}s java, so the child is the broker's JVM itself; {@link #start()} checks that
 * against the pid file the broker writes once it listens.
 */
final class BrokerProcess implements AutoCloseable {

    private static final Path HOME = Path.of(System.getProperty("junction.home", "..")).toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /** The script builds the server first when the sources are newer than it; that may take minutes. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static boolean built;

    private final Path config;
    private final Path dataDirectory;
    private final Path output;
    private Process process;
    private int port;

    /**
     * @param directory     scratch directory for the configuration and the broker's console output
     * @param dataDirectory the broker's data directory, kept across restarts
     */
    BrokerProcess(Path directory, Path dataDirectory) throws IOException, InterruptedException {
        this.dataDirectory = dataDirectory;
        this.config = directory.resolve("broker.yaml");
        this.output = directory.resolve("broker.out");
        Files.writeString(config, """
                broker:
                  dataDirectory: data
                  shutdownTimeout: 5s
                listeners:
                  - name: stomp
                    protocols: [stomp]
                    port: 0
                """);
        ensureBuilt(directory);
    }

    /** Starts the broker on a new free port and waits until it listens. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already running (pid " + process.pid() + ")");
        }
        port = freePort();
        process = script("run", "--config", config.toString(), "--data-dir", dataDirectory.toString(),
                "--port", "stomp=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        awaitListening();
    }

    /** SIGKILL: the JVM dies at once, without shutdown hooks; then waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("broker (pid " + process.pid() + ") still alive after SIGKILL");
        }
    }

    int port() {
        return port;
    }

    /** Kills the broker if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    /** The last lines the broker printed, for failure messages. */
    private String outputTail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The broker writes its pid file only after its listeners are bound, so that file means ready. */
    private void awaitListening() throws IOException, InterruptedException {
        Path pidFile = dataDirectory.resolve("junction.pid");
        String expected = Long.toString(process.pid());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(pidFile) && Files.readString(pidFile).trim().equals(expected))) {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + " before it listened:\n"
                        + outputTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new AssertionError("broker did not start within " + START_TIMEOUT + " (or the child process "
                        + expected + " is not the JVM whose pid it writes):\n" + outputTail());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Runs {@code bin/junction --version} once per test JVM, so that a build the script makes happens
     * here, under a generous timeout, and not inside a timed crash round.
     */
    private static synchronized void ensureBuilt(Path scratch) throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Path log = scratch.resolve("version.out");
        Process version = script("--version").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!version.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            version.destroyForcibly();
            throw new AssertionError("bin/junction --version did not finish within " + BUILD_TIMEOUT);
        }
        if (version.exitValue() != 0) {
            throw new AssertionError("bin/junction --version failed:\n" + Files.readString(log));
        }
        built = true;
    }

    private static ProcessBuilder script(String... arguments) {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(HOME.resolve("bin").resolve("junction").toString());
        builder.command().addAll(List.of(arguments));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx256m");
        builder.environment().remove("JUNCTION_HOME");
        return builder;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
