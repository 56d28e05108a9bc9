package io.junction.interop.mqtt;

import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Assumptions;
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
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The broker an MQTT test talks to: Junction in-process ({@link EmbeddedBroker}) by default.
 *
 * <p>With {@code -Dmqtt.reference=mosquitto} the same tests run against Mosquitto
 * ({@code /usr/sbin/mosquitto}) as a child process on a free port and a temporary persistence
 * directory, to check that what a test expects is what the reference broker does. Settings are given
 * twice, once as Junction YAML and once as mosquitto.conf lines; tests of Junction's own design
 * (cross-protocol, limits that Mosquitto does not have) call {@link #assumeJunction}, which skips
 * them against Mosquitto.
 */
public final class MqttBroker implements BeforeEachCallback, AfterEachCallback {

    /** {@code junction} (default) or {@code mosquitto}. */
    public static final String REFERENCE = System.getProperty("mqtt.reference", "junction");
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final EmbeddedBroker junction;
    private final String mosquittoConf;
    private Path mosquittoDirectory;
    private Process mosquitto;
    private int mosquittoPort;

    public MqttBroker() {
        this("", "");
    }

    /**
     * @param junctionYaml  extra YAML for Junction (replaces whole top-level sections)
     * @param mosquittoConf extra mosquitto.conf lines with the same meaning, for the reference run
     */
    public MqttBroker(String junctionYaml, String mosquittoConf) {
        this.junction = isMosquitto() ? null : new EmbeddedBroker(junctionYaml);
        this.mosquittoConf = mosquittoConf;
    }

    /**
     * A broker with {@code protocols.mqtt} settings ("key: value" lines) and, unless they set it,
     * {@code clientReconnectInterval: 0s}, so that tests may reconnect with the same client id at once.
     */
    public static MqttBroker withSettings(String mosquittoConf, String... mqttSettings) {
        StringBuilder yaml = new StringBuilder("protocols:\n  mqtt:\n");
        boolean intervalGiven = false;
        for (String setting : mqttSettings) {
            yaml.append("    ").append(setting).append('\n');
            intervalGiven |= setting.startsWith("clientReconnectInterval");
        }
        if (!intervalGiven) {
            yaml.append("    clientReconnectInterval: 0s\n");
        }
        return new MqttBroker(yaml.toString(), mosquittoConf);
    }

    /** {@link #withSettings} with only {@code clientReconnectInterval: 0s}. */
    public static MqttBroker reconnectAtOnce() {
        return withSettings("");
    }

    public static boolean isMosquitto() {
        return "mosquitto".equals(REFERENCE);
    }

    /** Skips the test against the reference broker: it checks Junction's own design. */
    public static void assumeJunction(String why) {
        Assumptions.assumeFalse(isMosquitto(), "Junction only: " + why);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (junction != null) {
            junction.start();
        } else {
            mosquittoDirectory = Files.createTempDirectory("mosquitto-test-");
            // started as root, mosquitto drops to its own user, which must still write its persistence file
            Files.setPosixFilePermissions(mosquittoDirectory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                mosquittoPort = free.getLocalPort();
            }
            startMosquitto();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (junction != null) {
            junction.stop();
        } else {
            stopMosquitto();
            deleteRecursively(mosquittoDirectory);
        }
    }

    /** Stops the broker gracefully and starts it again on the same data; the port may change. */
    public void restart() throws IOException {
        if (junction != null) {
            junction.restart();
        } else {
            stopMosquitto();
            startMosquitto();
        }
    }

    public int port() {
        return junction != null ? junction.mqttPort() : mosquittoPort;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** The STOMP listener's port (Junction only). */
    public int stompPort() {
        assumeJunction("STOMP listener");
        return junction.stompPort();
    }

    private void startMosquitto() throws IOException {
        Path conf = mosquittoDirectory.resolve("mosquitto.conf");
        Files.writeString(conf, """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence true
                persistence_location %s/
                max_packet_size 1048576
                log_dest stderr
                log_type error
                log_type warning
                %s
                """.formatted(mosquittoPort, mosquittoDirectory, mosquittoConf));
        mosquitto = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(mosquittoDirectory.resolve("mosquitto.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), mosquittoPort), 500);
                return;
            } catch (IOException notYet) {
                if (!mosquitto.isAlive() || System.nanoTime() > deadline) {
                    stopMosquitto();
                    throw new IOException("mosquitto did not start: " + Files.readString(mosquittoDirectory.resolve("mosquitto.log")));
                }
                sleep(20);
            }
        }
    }

    private void stopMosquitto() {
        if (mosquitto == null) {
            return;
        }
        mosquitto.destroy();
        try {
            if (!mosquitto.waitFor(5, TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            mosquitto.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        mosquitto = null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
