package io.junction.interop.flood;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One test's broker, run by the real {@code bin/junction run} as a child process (the script
 * {@code exec}s java, so the child is the broker's JVM) with the test's {@code JAVA_OPTS}, a
 * temporary copy of the shipped {@code conf/broker.yaml}, a fresh data directory and a free STOMP
 * port. The same as {@code cli.CliBroker} (package-private there), plus what a flood needs: the
 * JVM options, a GC log and a heap-dump path in the temporary directory. Afterwards every broker
 * process the test started is killed, whatever happened in the test.
 */
final class FloodBroker implements BeforeEachCallback, AfterEachCallback {

    static final Path HOME = Path.of(System.getProperty("junction.home", "..")).toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    /** The script builds the server first when the sources are newer than it; that may take minutes. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static boolean built;

    private final List<ProcessHandle> started = new ArrayList<>();
    private Path directory;
    private Path config;
    private Path dataDirectory;
    private Path output;
    private Path gcLog;
    private Path heapDump;
    private int port;
    private Process broker;

    /** What a finished {@code bin/junction} command left behind. */
    record Result(int exitCode, String output) {
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("junction-flood-");
        ensureBuilt(directory);
        config = directory.resolve("broker.yaml");
        Files.copy(HOME.resolve("conf").resolve("broker.yaml"), config);
        dataDirectory = directory.resolve("data");
        output = directory.resolve("broker.out");
        gcLog = directory.resolve("gc.log");
        heapDump = directory.resolve("broker-oom.hprof");
        port = freePort();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<ProcessHandle> processes = new ArrayList<>(started);
        pidInPidFile().flatMap(ProcessHandle::of).ifPresent(processes::add);
        for (ProcessHandle process : List.copyOf(processes)) {
            process.descendants().forEach(processes::add);
        }
        for (ProcessHandle process : processes) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : processes) {
            process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
        }
        // A heap dump is the evidence of an OutOfMemoryError: keep it (the rest, page files
        // included, can be a gigabyte and goes).
        if (Files.exists(heapDump)) {
            Path kept = Path.of("target").toAbsolutePath().resolve("flood-broker-oom.hprof");
            Files.createDirectories(kept.getParent());
            Files.move(heapDump, kept, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("FloodBroker: the broker's heap dump is kept in " + kept);
        }
        deleteRecursively(directory);
    }

    /**
     * Starts {@code bin/junction run} with these JVM options and waits until it listens (the broker
     * writes its pid file once its listeners are bound).
     */
    void start(String javaOpts) throws IOException, InterruptedException {
        ProcessBuilder builder = script("run", "--config", config.toString(), "--data-dir", dataDirectory.toString(),
                "--port", "stomp=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("JAVA_OPTS", javaOpts);
        broker = builder.start();
        started.add(broker.toHandle());

        String expected = Long.toString(broker.pid());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(pidFile()) && Files.readString(pidFile()).trim().equals(expected))) {
            if (!broker.isAlive()) {
                throw new AssertionError("broker exited with " + broker.exitValue() + " before it listened:\n"
                        + outputTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("broker did not start within " + START_TIMEOUT + " (or the child process "
                        + expected + " is not the JVM whose pid it writes):\n" + outputTail(40));
            }
            Thread.sleep(20);
        }
    }

    /** Runs {@code bin/junction <command> --config .. --data-dir .. --port stomp=<port> <extra>} to completion. */
    Result junction(String command, String... extra) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(command, "--config", config.toString(),
                "--data-dir", dataDirectory.toString(), "--port", "stomp=" + port));
        arguments.addAll(List.of(extra));
        Path log = Files.createTempFile(directory, command + "-", ".out");
        ProcessBuilder builder = script(arguments.toArray(String[]::new))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The command's own JVM takes the script's defaults, not the broker's options.
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        started.add(process.toHandle());
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/junction " + String.join(" ", arguments) + " did not finish within "
                    + COMMAND_TIMEOUT + "; output: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    /** The broker's JVM ({@code bin/junction run}). */
    Process process() {
        return broker;
    }

    int port() {
        return port;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    Path pagingDirectory() {
        return dataDirectory.resolve("paging");
    }

    Path pidFile() {
        return dataDirectory.resolve("junction.pid");
    }

    Path gcLog() {
        return gcLog;
    }

    Path heapDump() {
        return heapDump;
    }

    Path directory() {
        return directory;
    }

    java.util.Optional<Long> pidInPidFile() throws IOException {
        if (!Files.exists(pidFile())) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(pidFile()).trim()));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Everything the broker printed (console output of {@code run}). */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last lines the broker printed, for failure messages. */
    String outputTail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static ProcessBuilder script(String... arguments) {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(HOME.resolve("bin").resolve("junction").toString());
        builder.command().addAll(List.of(arguments));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JUNCTION_HOME");
        return builder;
    }

    /**
     * Runs {@code bin/junction --version} once per test JVM, so that a build the script makes happens
     * here, under a generous timeout, and not inside the flood's time budget.
     */
    private static synchronized void ensureBuilt(Path scratch) throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Path log = scratch.resolve("version.out");
        ProcessBuilder builder = script("--version").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("JAVA_OPTS");
        Process version = builder.start();
        if (!version.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            version.destroyForcibly();
            throw new AssertionError("bin/junction --version did not finish within " + BUILD_TIMEOUT);
        }
        if (version.exitValue() != 0) {
            throw new AssertionError("bin/junction --version failed:\n" + Files.readString(log));
        }
        built = true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
