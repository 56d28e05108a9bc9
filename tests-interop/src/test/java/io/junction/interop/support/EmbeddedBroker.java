package io.junction.interop.support;

import io.junction.core.boot.JunctionServer;
import io.junction.core.security.PasswordHash;
import io.junction.core.broker.Broker;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigLoader;
import io.junction.core.spi.ProtocolModule;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker started in-process for each test, on an ephemeral port and a temporary data
 * directory, from the shipped {@code conf/broker.yaml} plus an optional YAML snippet that replaces
 * whole top-level sections (for tests that need other policies).
 *
 * <pre>
 * &#64;RegisterExtension
 * final EmbeddedBroker broker = new EmbeddedBroker();
 * ... broker.stompPort() ...
 * </pre>
 */
public final class EmbeddedBroker implements BeforeEachCallback, AfterEachCallback {

    private static final List<String> LISTENERS = List.of("stomp", "mqtt", "amqp", "openwire");

    private final String extraYaml;
    private String extraListeners = "";
    private final StringBuilder users = new StringBuilder();
    private String acls = "";
    private String listenerYaml = "";
    private Path dataDirectory;
    private JunctionServer server;

    public EmbeddedBroker() {
        this("");
    }

    /**
     * @param extraYaml YAML appended after the listeners, e.g. a {@code destinations:} section, or
     *                  further listener entries (indented as list items) such as
     *                  {@link TestTls#listenerYaml}
     */
    public EmbeddedBroker(String extraYaml) {
        this.extraYaml = extraYaml;
    }

    /**
     * Adds listeners after the four usual ones, e.g. a {@code transport: ws} listener on port 0;
     * {@link #port(String)} gives the port each bound.
     *
     * @param listenerItems YAML list items, indented as entries of {@code listeners:}
     */
    public EmbeddedBroker withListeners(String listenerItems) {
        this.extraListeners = listenerItems;
        return this;
    }

    /**
     * A user written to the broker's {@code users.yaml} before it starts (a low iteration count,
     * to keep tests quick).
     */
    public EmbeddedBroker withUser(String name, String password, String... groups) {
        users.append(usersYamlEntry(name, password, groups));
        return this;
    }

    /** Entries of the {@code users:} list as YAML, indented as list items, for users the other methods cannot write. */
    public EmbeddedBroker withUsersYaml(String entries) {
        users.append(entries);
        return this;
    }

    /** A user that logs in by the client certificate with that subject, without a password. */
    public EmbeddedBroker withCertificateUser(String name, String subject, String... groups) {
        users.append("""
                  - name: "%s"
                    certificate: '%s'
                    groups: [%s]
                """.formatted(name, subject, String.join(", ", groups)));
        return this;
    }

    /** A user as {@link #withUser}, with its own {@code maxConnections}. */
    public EmbeddedBroker withUser(String name, String password, int maxConnections, String... groups) {
        users.append(usersYamlEntry(name, password, groups)).append("    maxConnections: ").append(maxConnections)
                .append('\n');
        return this;
    }

    /** One entry of the {@code users:} list of a users file. */
    public static String usersYamlEntry(String name, String password, String... groups) {
        return """
                  - name: "%s"
                    password: "%s"
                    groups: [%s]
                """.formatted(name, PasswordHash.create(password.toCharArray(), 1000).encoded(),
                String.join(", ", groups));
    }

    /**
     * The {@code acls:} section of the broker's {@code users.yaml} (the whole section, starting with
     * {@code acls:}), written before it starts.
     */
    public EmbeddedBroker withAcls(String aclsYaml) {
        this.acls = aclsYaml;
        return this;
    }

    /**
     * Replaces the ACLs of the running broker's users file (the users stay) and waits until the
     * broker has reloaded the file.
     */
    public void rewriteAcls(String aclsYaml) throws IOException {
        Path file = usersFile();
        Files.writeString(file, "users:\n" + users + aclsYaml);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!server.authenticator().reloadIfChanged() && System.currentTimeMillis() < deadline) {
            // The broker's own watcher may have taken the change already: then the ACLs are in force.
            if (server.authenticator().users().acls().equals(
                    io.junction.core.config.UsersReader.read(file).acls())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Keys added to every listener, e.g. {@code allowAnonymous: false}, one per line. */
    public EmbeddedBroker withListenerSettings(String yaml) {
        this.listenerYaml = yaml;
        return this;
    }

    /** The users file of the running broker (next to its config file). */
    public Path usersFile() {
        return server.config().security().usersFile();
    }

    public JunctionServer server() {
        return server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    public void start() throws IOException {
        dataDirectory = Files.createTempDirectory("junction-test-");
        startServer();
    }

    /**
     * Stops the broker as a graceful stop would and starts it again on the same data directory
     * (new ephemeral ports), for tests of what survives a restart.
     */
    public void restart() throws IOException {
        server.stop();
        server = null;
        startServer();
    }

    /**
     * The same as {@link #restart()}, but every listener binds the port it had: for clients that
     * reconnect to the address they had (ActiveMQ's {@code failover:}). The ports are free while
     * the broker is down, so another process could take one in between; on a test machine with
     * ephemeral ports that is unlikely.
     */
    public void restartKeepingPorts() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        LISTENERS.forEach(listener -> ports.put(listener, server.port(listener)));
        server.stop();
        server = null;
        startServer(ports);
    }

    private void startServer() throws IOException {
        startServer(Map.of());
    }

    /** @param ports the port of each listener named, 0 (any free one) for the others */
    private void startServer(Map<String, Integer> ports) throws IOException {
        Path config = dataDirectory.resolve("broker.yaml");
        StringBuilder yaml = new StringBuilder("""
                broker:
                  dataDirectory: %s
                  shutdownTimeout: 5s
                listeners:
                """.formatted(dataDirectory.resolve("data")));
        for (String listener : LISTENERS) {
            yaml.append("""
                      - name: %1$s
                        protocols: [%1$s]
                        port: %2$d
                    """.formatted(listener, ports.getOrDefault(listener, 0)));
            listenerYaml.lines().forEach(line -> yaml.append("    ").append(line).append('\n'));
        }
        if ((!users.isEmpty() || !acls.isEmpty()) && !Files.exists(dataDirectory.resolve("users.yaml"))) {
            Files.writeString(dataDirectory.resolve("users.yaml"), "users:\n" + users + acls);
        }
        Files.writeString(config, yaml + extraListeners + extraYaml);
        Map<String, ProtocolModule> modules = ProtocolModules.discover();
        BrokerConfig loaded = ConfigLoader.load(config, dataDirectory, JunctionServer.settingsOf(modules));
        server = new JunctionServer(loaded, modules);
        server.start();
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (dataDirectory != null) {
            Directories.deleteRecursively(dataDirectory);
            dataDirectory = null;
        }
    }

    /** The port bound by the listener of that name, such as one added by the extra YAML. */
    public int port(String listener) {
        return server.port(listener);
    }

    public int stompPort() {
        return server.port("stomp");
    }

    public int mqttPort() {
        return server.port("mqtt");
    }

    /** {@code tcp://127.0.0.1:<mqtt port>}, as Paho takes it. */
    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort();
    }

    public int amqpPort() {
        return server.port("amqp");
    }

    /** {@code amqp://127.0.0.1:<amqp port>}, as Qpid JMS takes it. */
    public String amqpUri() {
        return "amqp://127.0.0.1:" + amqpPort();
    }

    public int openWirePort() {
        return server.port("openwire");
    }

    /** {@code tcp://127.0.0.1:<openwire port>}, as the ActiveMQ client takes it. */
    public String openWireUri() {
        return "tcp://127.0.0.1:" + openWirePort();
    }

    public Broker broker() {
        return server.broker();
    }
}
