package io.junction.interop.support;

import io.junction.interop.support.JunctionCommand.Result;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real broker, run by {@code bin/junction run} as a child process (the script {@code exec}s
 * java, so the child is the broker's JVM itself), on a scratch directory with a configuration, a
 * data directory kept across restarts and a free STOMP port. {@link #start()} waits until the pid
 * file the broker writes once its listeners are bound names that child; {@link #kill()} is a
 * SIGKILL of that JVM; {@link #junction} runs one-shot commands ({@code status}, {@code stop},
 * {@code start}, ...) against the same configuration, data directory and port. Before the first
 * broker of the test JVM, {@code bin/junction --version} builds the server if needed
 * ({@link JunctionCommand#ensureBuilt}).
 *
 * <p>{@link #close()} (or {@code afterEach}, when registered as an extension) kills every process
 * this object started, the broker the pid file names and every broker whose pid a command printed,
 * whatever happened in the test, and deletes the scratch directory if it made it.
 *
 * <pre>
 * &#64;RegisterExtension
 * final BrokerProcess broker = BrokerProcess.builder().tempDirectory("junction-cli-").build();
 * ... broker.start(); ... broker.junction("status") ... broker.kill(); broker.start(); ...
 * </pre>
 */
public final class BrokerProcess implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PID = Pattern.compile("pid (\\d+)");
    private static final String SERVER_MAIN = "io.junction.server.Main";
    /** Listeners besides STOMP that get a port on the command line when the configuration has them. */
    private static final List<String> OTHER_LISTENERS = List.of("mqtt", "amqp", "openwire");

    private final Builder settings;
    private final List<ProcessHandle> started = new ArrayList<>();
    private final Set<Long> printedPids = new LinkedHashSet<>();
    private Path directory;
    private Path config;
    private Path dataDirectory;
    private Path output;
    private int port;
    /** Ports chosen once in {@link #prepare()} for the listeners named by {@link Builder#keepPort}. */
    private final Map<String, Integer> keptPorts = new LinkedHashMap<>();
    private Process broker;

    private BrokerProcess(Builder settings) {
        this.settings = settings.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to do once the test's processes are gone, before the scratch directory is deleted. */
    @FunctionalInterface
    public interface Cleanup {
        void run(BrokerProcess broker) throws IOException;
    }

    /** How the broker is set up; every setting has a default. */
    public static final class Builder {
        private String tempDirectoryPrefix = "junction-broker-";
        private Path directory;
        private String config;
        private String extraYaml = "";
        private String javaOpts;
        private int port;
        private boolean newPortOnEachStart;
        private final Set<String> keptListeners = new LinkedHashSet<>();
        private Duration commandTimeout = Duration.ofSeconds(60);
        private Cleanup cleanup = broker -> { };

        private Builder() {
        }

        /** A new temporary scratch directory with this prefix, deleted afterwards (the default). */
        public Builder tempDirectory(String prefix) {
            this.tempDirectoryPrefix = Objects.requireNonNull(prefix);
            this.directory = null;
            return this;
        }

        /** This existing scratch directory (a {@code @TempDir}); left in place afterwards. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory);
            return this;
        }

        /** The whole configuration, instead of a copy of the shipped {@code conf/broker.yaml}. */
        public Builder config(String yaml) {
            this.config = Objects.requireNonNull(yaml);
            return this;
        }

        /** YAML appended to the configuration, e.g. a {@code destinations:} section. */
        public Builder extraYaml(String yaml) {
            this.extraYaml = Objects.requireNonNull(yaml);
            return this;
        }

        /** {@code JAVA_OPTS} of the broker's JVM; by default the script's own defaults. */
        public Builder javaOpts(String javaOpts) {
            this.javaOpts = Objects.requireNonNull(javaOpts);
            return this;
        }

        /** A fixed STOMP port; by default a free one, chosen once before the test. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A new free STOMP port on every {@link BrokerProcess#start()}, instead of one for the whole test. */
        public Builder newPortOnEachStart() {
            this.newPortOnEachStart = true;
            return this;
        }

        /**
         * The named listener ({@code mqtt}, {@code amqp} or {@code openwire}) gets a free port
         * chosen once before the test and keeps it across restarts, instead of a new one on each
         * start: for clients that reconnect to the address they had (ActiveMQ's {@code failover:}).
         */
        public Builder keepPort(String listener) {
            if (!OTHER_LISTENERS.contains(listener)) {
                throw new IllegalArgumentException("keepPort is for " + OTHER_LISTENERS + " (the STOMP port is kept"
                        + " unless newPortOnEachStart), not " + listener);
            }
            keptListeners.add(listener);
            return this;
        }

        /** How long a one-shot {@code bin/junction} command may take (default 60 s). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Runs once every process is gone, before the scratch directory is deleted (to keep evidence). */
        public Builder cleanup(Cleanup cleanup) {
            this.cleanup = Objects.requireNonNull(cleanup);
            return this;
        }

        /** A broker that gets ready in {@code beforeEach} ({@code @RegisterExtension}). */
        public BrokerProcess build() {
            return new BrokerProcess(this);
        }

        /** A broker ready at once, for a test that manages it itself; {@link #close()} it. */
        public BrokerProcess prepare() throws IOException, InterruptedException {
            BrokerProcess broker = build();
            broker.prepare();
            return broker;
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.tempDirectoryPrefix = tempDirectoryPrefix;
            copy.directory = directory;
            copy.config = config;
            copy.extraYaml = extraYaml;
            copy.javaOpts = javaOpts;
            copy.port = port;
            copy.newPortOnEachStart = newPortOnEachStart;
            copy.keptListeners.addAll(keptListeners);
            copy.commandTimeout = commandTimeout;
            copy.cleanup = cleanup;
            return copy;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        prepare();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }

    /** Creates the scratch directory and the configuration, picks the port and builds the server if needed. */
    private void prepare() throws IOException, InterruptedException {
        directory = settings.directory != null ? settings.directory
                : Files.createTempDirectory(settings.tempDirectoryPrefix);
        JunctionCommand.ensureBuilt(directory);
        config = directory.resolve("broker.yaml");
        String yaml = settings.config != null ? settings.config
                : Files.readString(JunctionCommand.HOME.resolve("conf").resolve("broker.yaml"));
        Files.writeString(config, yaml + settings.extraYaml);
        dataDirectory = directory.resolve("data");
        output = directory.resolve("broker.out");
        port = settings.port != 0 ? settings.port : freePort();
        for (String listener : settings.keptListeners) {
            keptPorts.put(listener, freePort());
        }
    }

    /** Starts the broker and waits until it listens: its pid file names the child process. */
    public void start() throws IOException, InterruptedException {
        start(settings.javaOpts);
    }

    /** The same, with these {@code JAVA_OPTS} for the broker's JVM. */
    public void start(String javaOpts) throws IOException, InterruptedException {
        launch(javaOpts);
        awaitListening();
    }

    /**
     * Starts {@code bin/junction run} without waiting for it; its output goes to {@link #output()}.
     * For tests that watch the start themselves.
     */
    public Process launch() throws IOException {
        return launch(settings.javaOpts);
    }

    private Process launch(String javaOpts) throws IOException {
        if (broker != null && broker.isAlive()) {
            throw new IllegalStateException("broker already running (pid " + broker.pid() + ")");
        }
        if (settings.newPortOnEachStart && broker != null) {
            port = freePort();
        }
        broker = JunctionCommand.processBuilder(javaOpts, arguments(port, "run"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        started.add(broker.toHandle());
        return broker;
    }

    /** {@code bin/junction stop}, which must succeed; then waits until the broker's JVM is gone. */
    public Result stop() throws IOException, InterruptedException {
        Result stop = junction("stop");
        if (stop.exitCode() != 0) {
            throw new AssertionError("bin/junction stop failed; " + stop + "\nbroker output (end):\n" + outputTail(40));
        }
        if (broker != null && !broker.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("broker (pid " + broker.pid() + ") still alive " + EXIT_TIMEOUT
                    + " after bin/junction stop");
        }
        return stop;
    }

    /** SIGKILL of the broker's JVM: it dies at once, without shutdown hooks; then waits until it is gone. */
    public void kill() throws InterruptedException {
        broker.destroyForcibly();
        if (!broker.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("broker (pid " + broker.pid() + ") still alive after SIGKILL");
        }
    }

    /** A graceful {@link #stop()} if the broker runs, then {@link #start()} on the same data directory. */
    public void restart() throws IOException, InterruptedException {
        if (broker != null && broker.isAlive()) {
            stop();
        }
        start();
    }

    /** Runs {@code bin/junction <command> --config .. --data-dir .. --port stomp=<port> <extra>} to completion. */
    public Result junction(String command, String... extra) throws IOException, InterruptedException {
        return junctionOnPort(port, command, extra);
    }

    /** The same, with another STOMP port. */
    public Result junctionOnPort(int stompPort, String command, String... extra)
            throws IOException, InterruptedException {
        Result result = JunctionCommand.run(directory, settings.commandTimeout, arguments(stompPort, command, extra));
        Matcher pid = PID.matcher(result.stdout());
        while (pid.find()) {
            printedPids.add(Long.parseLong(pid.group(1)));
        }
        return result;
    }

    /** The broker's JVM, as last started (null before). */
    public Process process() {
        return broker;
    }

    public int port() {
        return port;
    }

    /**
     * The port the named listener of the running broker bound, from its start-up log line
     * {@code Listener <name> serving [...] on tcp://host:port} (the last one, so after a restart
     * the current broker's); for listeners given port 0, such as {@code amqp} and {@code mqtt},
     * and those whose port is kept.
     */
    public int listenerPort(String listener) {
        Pattern line = Pattern.compile("Listener " + Pattern.quote(listener) + " serving .+? on tcp://[^:\\s]+:(\\d+)");
        Matcher matcher = line.matcher(output());
        int found = -1;
        while (matcher.find()) {
            found = Integer.parseInt(matcher.group(1));
        }
        if (found < 0) {
            throw new AssertionError("no start-up line of listener " + listener + " in the broker output:\n" + outputTail(40));
        }
        return found;
    }

    /** The scratch directory: configuration, console output, data directory. */
    public Path directory() {
        return directory;
    }

    public Path config() {
        return config;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path pidFile() {
        return dataDirectory.resolve("junction.pid");
    }

    /** The pid in the pid file; empty while there is none (or it is being written). */
    public OptionalLong pidInPidFile() throws IOException {
        if (!Files.exists(pidFile())) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile()).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Everything the brokers of this test printed (console output of {@code run}, appended over restarts). */
    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last lines the broker printed, for failure messages. */
    public String outputTail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Kills (SIGKILL) every process this object started, with their children, the broker the pid
     * file names and every broker whose pid a command printed; runs the {@link Builder#cleanup}
     * step; deletes the scratch directory if this object made it.
     */
    @Override
    public void close() throws IOException {
        if (directory == null) {
            return;
        }
        List<ProcessHandle> processes = new ArrayList<>(started);
        Set<Long> pids = new LinkedHashSet<>(printedPids);
        pidInPidFile().ifPresent(pids::add);
        pids.forEach(pid -> ProcessHandle.of(pid).filter(BrokerProcess::mayBeABroker).ifPresent(processes::add));
        for (ProcessHandle process : List.copyOf(processes)) {
            process.descendants().forEach(processes::add);
        }
        for (ProcessHandle process : processes) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : processes) {
            process.onExit().completeOnTimeout(process, CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
        try {
            settings.cleanup.run(this);
        } finally {
            if (settings.directory == null) {
                deleteRecursively(directory);
            }
            directory = null;
        }
    }

    /**
     * A small configuration for {@link Builder#config}: a STOMP listener and one listener for each
     * protocol named ({@code amqp}, {@code openwire}, ...), named after it, all on port 0 (the
     * command line gives each its port), and a short shutdown timeout.
     */
    public static String smallConfig(String... protocols) {
        StringBuilder yaml = new StringBuilder("""
                broker:
                  dataDirectory: data
                  shutdownTimeout: 5s
                listeners:
                """);
        for (String protocol : Stream.concat(Stream.of("stomp"), Stream.of(protocols)).toList()) {
            yaml.append("  - name: %1$s\n    protocols: [%1$s]\n    port: 0\n".formatted(protocol));
        }
        return yaml.toString();
    }

    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The broker writes its pid file only after its listeners are bound, so that file means ready. */
    private void awaitListening() throws IOException, InterruptedException {
        long expected = broker.pid();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (pidInPidFile().orElse(-1) != expected) {
            if (!broker.isAlive()) {
                throw new AssertionError("broker exited with " + broker.exitValue() + " before it listened:\n"
                        + outputTail(40));
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new AssertionError("broker did not start within " + START_TIMEOUT + " (or the child process "
                        + expected + " is not the JVM whose pid it writes):\n" + outputTail(40));
            }
            Thread.sleep(20);
        }
    }

    /** Whether the configuration, as the file is now, has a listener of this name. */
    private boolean hasListener(String name) {
        try {
            return Pattern.compile("(?m)\\bname:\\s*" + Pattern.quote(name) + "\\s*$").matcher(Files.readString(config))
                    .find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String[] arguments(int stompPort, String command, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(command, "--config", config.toString(),
                "--data-dir", dataDirectory.toString(), "--port", "stomp=" + stompPort));
        for (String listener : OTHER_LISTENERS) {
            // A free port unless kept: 1883, 5672 and 61616 may be taken on the machine. Only for
            // listeners the configuration has, as the broker refuses a port for an unknown one.
            if (hasListener(listener)) {
                arguments.addAll(List.of("--port", listener + "=" + keptPorts.getOrDefault(listener, 0)));
            }
        }
        arguments.addAll(List.of(extra));
        return arguments.toArray(String[]::new);
    }

    /**
     * A pid from the pid file or a command's output may since have been reused by an unrelated
     * process: only a Junction JVM, or a process whose command line cannot be read, is killed.
     */
    private static boolean mayBeABroker(ProcessHandle process) {
        return process.info().commandLine().map(line -> line.contains(SERVER_MAIN)).orElse(true);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
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
