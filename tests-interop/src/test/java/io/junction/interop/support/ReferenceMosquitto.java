package io.junction.interop.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Mosquitto (Debian's {@code /usr/sbin/mosquitto}) as the reference broker of the MQTT tests, run
 * with {@code -Dmqtt.reference=mosquitto} to check that an expectation taken from the
 * specification holds on a broker known to implement it: a child process on a free loopback
 * port with its own temporary directory (configuration, persistence, log).
 */
public final class ReferenceMosquitto implements AutoCloseable {

    /** True when the MQTT tests run against Mosquitto rather than Junction. */
    public static final boolean SELECTED = "mosquitto".equals(System.getProperty("mqtt.reference"));

    private static final String BINARY = "/usr/sbin/mosquitto";

    private final Path directory;
    private final String extraConf;
    private final int port;
    private Process process;

    /** @param extraConf mosquitto.conf lines added to the listener and persistence settings */
    public ReferenceMosquitto(String extraConf) throws IOException {
        this.extraConf = extraConf;
        this.directory = Files.createTempDirectory("mqtt-reference-mosquitto-");
        // Started as root, mosquitto drops to its own user unless told otherwise.
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = free.getLocalPort();
        }
        start();
    }

    public int port() {
        return port;
    }

    /** Stops and starts the broker on the same persistence file and port. */
    public void restart() throws IOException {
        stop();
        start();
    }

    private void start() throws IOException {
        Path conf = directory.resolve("mosquitto.conf");
        Files.writeString(conf, """
                user root
                listener %d 127.0.0.1
                allow_anonymous true
                persistence true
                persistence_location %s/
                log_dest file %s
                log_type error
                log_type warning
                %s
                """.formatted(port, directory, directory.resolve("mosquitto.log"), extraConf));
        process = new ProcessBuilder(BINARY, "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process = null;
                throw new IOException("mosquitto exited: " + Files.readString(directory.resolve("stdout.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop();
                    throw new IOException(e);
                }
            }
        }
        stop();
        throw new IOException("mosquitto did not listen on " + port);
    }

    /** Stops the broker (SIGTERM, then SIGKILL), keeping its directory for a restart. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        Directories.deleteRecursively(directory);
    }
}
