package io.junction.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The peer broker, ActiveMQ Artemis, in its own JVM (bench/artemis-peer: it needs Netty 4.1,
 * Junction uses 4.2). It listens for STOMP, AMQP 1.0 and OpenWire, each on a free loopback port, and keeps its journal under
 * the given directory; {@link #close()} closes its standard input, which stops it, and kills it
 * if it has not exited 30 s later.
 */
final class ArtemisProcess implements AutoCloseable {

    private static final String MAIN = "io.junction.bench.peer.ArtemisPeer";

    private final Process process;
    private final int port;
    private final int amqpPort;
    private final int openWirePort;
    private final String description;

    private ArtemisProcess(Process process, int port, int amqpPort, int openWirePort, String description) {
        this.process = process;
        this.port = port;
        this.amqpPort = amqpPort;
        this.openWirePort = openWirePort;
        this.description = description;
    }

    /**
     * Artemis's journal-buffer-timeout for a disk doing {@code fsyncRate} small synchronous writes
     * a second: what 'artemis create' writes into broker.xml, the time one such write takes.
     */
    static long bufferTimeoutNanos(double fsyncRate) {
        return Math.round(1e9 / fsyncRate);
    }

    /**
     * @param classpath          the peer's class path (its jar and Artemis's)
     * @param heap               the peer JVM's -Xmx value, e.g. "1g"
     * @param bufferTimeoutNanos Artemis's journal-buffer-timeout, as 'artemis create' sets it
     */
    static ArtemisProcess start(String classpath, String heap, Path home, long bufferTimeoutNanos)
            throws IOException, InterruptedException {
        Files.createDirectories(home);
        int port = freePort();
        int amqpPort = freePort();
        int openWirePort = freePort();
        Path log = home.resolve("artemis.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx" + heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, MAIN,
                home.resolve("data").toString(), Integer.toString(port), Long.toString(bufferTimeoutNanos),
                Integer.toString(amqpPort), Integer.toString(openWirePort)))
                .redirectError(log.toFile())
                .start();
        try {
            String ready = awaitReady(process);
            if (ready == null) {
                throw new IOException("Artemis did not start within 60 s; its log: "
                        + (Files.exists(log) ? Files.readString(log) : "(none)"));
            }
            return new ArtemisProcess(process, port, amqpPort, openWirePort, ready.substring("READY ".length()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process);
            throw e;
        }
    }

    int stompPort() {
        return port;
    }

    /** The port of the acceptor for {@code protocol}: {@code stomp}, {@code amqp} or {@code openwire}. */
    int port(String protocol) {
        return switch (protocol) {
            case "stomp" -> port;
            case "amqp" -> amqpPort;
            case "openwire" -> openWirePort;
            default -> throw new IllegalArgumentException("the Artemis peer has no acceptor for " + protocol);
        };
    }

    BrokerProbe probe() {
        return BrokerProbe.process(process.toHandle());
    }

    /** Version and journal type, e.g. "version=2.40.0 journal=NIO". */
    String description() {
        return description;
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** The READY line, or null if the peer printed none within 60 s or exited. */
    private static String awaitReady(Process process) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The peer is gone; awaitReady times out or has its line already.
            }
        }, "bench-artemis-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("READY ")) {
                return line;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
