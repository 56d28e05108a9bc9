package io.junction.interop.cli;

import io.junction.interop.cli.JunctionCli.Result;
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
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One test's broker for {@code bin/junction}: a temporary copy of {@code conf/broker.yaml}, a fresh
 * data directory and a free STOMP port. Afterwards every broker process the test started is
 * killed, whatever happened in the test.
 */
final class CliBroker implements BeforeEachCallback, AfterEachCallback {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern PID = Pattern.compile("pid (\\d+)");

    private final List<Process> launched = new ArrayList<>();
    private final Set<Long> brokerPids = new HashSet<>();
    private Path directory;
    private Path config;
    private Path dataDirectory;
    private int port;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("junction-cli-");
        JunctionCli.ensureBuilt(directory);
        config = directory.resolve("broker.yaml");
        Files.copy(JunctionCli.HOME.resolve("conf").resolve("broker.yaml"), config);
        dataDirectory = directory.resolve("data");
        port = freePort();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        pidInPidFile().ifPresent(brokerPids::add);
        List<ProcessHandle> processes = new ArrayList<>();
        launched.forEach(process -> processes.add(process.toHandle()));
        brokerPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(processes::add));
        for (ProcessHandle process : processes) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : processes) {
            process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
        }
        deleteRecursively(directory);
    }

    /** Runs {@code bin/junction <command> --config .. --data-dir .. --port stomp=<port> <extra>} to completion. */
    Result junction(String command, String... extra) throws IOException, InterruptedException {
        return junctionOnPort(port, command, extra);
    }

    /** The same, with another STOMP port. */
    Result junctionOnPort(int stompPort, String command, String... extra) throws IOException, InterruptedException {
        Result result = JunctionCli.run(directory, COMMAND_TIMEOUT, arguments(stompPort, command, extra));
        Matcher pid = PID.matcher(result.stdout());
        while (pid.find()) {
            brokerPids.add(Long.parseLong(pid.group(1)));
        }
        return result;
    }

    /** Starts {@code bin/junction <command> ...} without waiting for it, output to {@code <temp>/<command>.out}. */
    Process launch(String command, String... extra) throws IOException {
        Process process = JunctionCli.launch(directory.resolve(command + ".out"), arguments(port, command, extra));
        launched.add(process);
        return process;
    }

    String output(String command) throws IOException {
        return Files.readString(directory.resolve(command + ".out"));
    }

    int port() {
        return port;
    }

    Path config() {
        return config;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    Path pidFile() {
        return dataDirectory.resolve("junction.pid");
    }

    OptionalLong pidInPidFile() throws IOException {
        if (!Files.exists(pidFile())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(Files.readString(pidFile()).trim()));
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String[] arguments(int stompPort, String command, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(command, "--config", config.toString(),
                "--data-dir", dataDirectory.toString(), "--port", "stomp=" + stompPort));
        arguments.addAll(List.of(extra));
        return arguments.toArray(String[]::new);
    }

    private static void deleteRecursively(Path root) throws IOException {
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
