package io.junction.bench;

import io.junction.core.boot.JunctionServer;
import io.junction.core.broker.Broker;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigLoader;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.store.MessageStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Junction broker in this JVM, with the shipped defaults except for the data directory
 * ({@code <home>/data}) and one STOMP listener on an ephemeral port (and one AMQP or OpenWire
 * listener, when asked for); {@code fsync: always} is spelled out. Starting another on the same
 * home recovers what the previous one stored.
 */
final class EmbeddedJunction implements AutoCloseable {

    private final JunctionServer server;
    private final long startCalled;
    private final long startReturned;

    private EmbeddedJunction(JunctionServer server, long startCalled, long startReturned) {
        this.server = server;
        this.startCalled = startCalled;
        this.startReturned = startReturned;
    }

    /**
     * Also one listener per protocol named (e.g. {@code amqp}, {@code openwire}), each on an
     * ephemeral port and named after its protocol.
     */
    static EmbeddedJunction start(Path home, String... protocols) throws IOException {
        Files.createDirectories(home);
        StringBuilder extraListeners = new StringBuilder();
        for (String protocol : protocols) {
            extraListeners.append("""
                      - name: %1$s
                        protocols: [%1$s]
                        port: 0
                    """.formatted(protocol));
        }
        Path file = home.resolve("broker.yaml");
        Files.writeString(file, """
                broker:
                  dataDirectory: %s
                listeners:
                  - name: stomp
                    protocols: [stomp]
                    port: 0
                %sstore:
                  fsync: always
                """.formatted(home.resolve("data"), extraListeners));
        Map<String, ProtocolModule> modules = JunctionServer.discoverModules();
        BrokerConfig config = ConfigLoader.load(file, home, JunctionServer.settingsOf(modules));
        JunctionServer server = new JunctionServer(config, modules);
        long called = System.nanoTime();
        server.start();
        return new EmbeddedJunction(server, called, System.nanoTime());
    }

    /** How long {@link JunctionServer#start()} took, recovery of the store included. */
    double startSeconds() {
        return (startReturned - startCalled) / 1e9;
    }

    /** Seconds from the call of {@link JunctionServer#start()} to the given {@link System#nanoTime()}. */
    double secondsSinceStartCalled(long nanoTime) {
        return (nanoTime - startCalled) / 1e9;
    }

    int stompPort() {
        return server.port("stomp");
    }

    /** The port of a listener of {@link #start}, named after its protocol (e.g. {@code amqp}). */
    int port(String listener) {
        return server.port(listener);
    }

    MessageStore store() {
        return server.store();
    }

    long segmentSize() {
        return server.config().store().segmentSize();
    }

    /** Where the journal's segment files are. */
    Path journalDirectory() {
        return server.config().broker().dataDirectory().resolve("journal");
    }

    /** Messages a queue holds, or 0 when it does not exist. */
    long depth(String queue) {
        Broker.QueueInfo info = server.broker().queue(queue);
        return info == null ? 0 : info.depth();
    }

    /** Graceful stop. */
    @Override
    public void close() {
        server.stop();
    }
}
