package io.junction.interop.config;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigLoader;
import io.junction.core.config.ListenerConfig;
import io.junction.core.config.Transport;
import io.junction.core.spi.ProtocolModule;
import io.junction.core.spi.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.junction.core.config.CompositeConfig;
import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.config.ClientAuth;
import io.junction.interop.support.TestTls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The shipped {@code conf/broker.yaml} against the protocol modules really installed: it loads,
 * it equals the built-in defaults, and it documents every key each module declares.
 */
class ShippedConfigTest {

    private static final Path HOME = Path.of(System.getProperty("junction.home", ".."));

    @Test
    void shippedConfigLoadsAndEqualsTheDefaults() {
        Map<String, ProtocolModule> modules = JunctionServer.discoverModules();
        Map<String, List<Setting<?>>> settings = JunctionServer.settingsOf(modules);
        BrokerConfig shipped = ConfigLoader.load(HOME.resolve("conf/broker.yaml"), HOME, settings);
        BrokerConfig defaults = BrokerConfig.defaults(HOME, settings);
        assertThat(shipped.broker()).isEqualTo(defaults.broker());
        assertThat(shipped.listeners()).isEqualTo(defaults.listeners());
        assertThat(shipped.protocols()).isEqualTo(defaults.protocols());
        assertThat(shipped.store()).isEqualTo(defaults.store());
        assertThat(shipped.memory()).isEqualTo(defaults.memory());
        assertThat(shipped.security()).isEqualTo(defaults.security());
        assertThat(shipped.security().usersFile()).isEqualTo(HOME.resolve("conf/users.yaml").toAbsolutePath().normalize());
        // The shipped file spells the default policy out as a '>' policy.
        for (String name : List.of("orders", "a.b.c")) {
            for (boolean topic : new boolean[] {false, true}) {
                assertThat(shipped.destinations().policyFor(name, topic).values())
                        .isEqualTo(defaults.destinations().policyFor(name, topic).values());
                assertThat(shipped.destinations().autoCreate(name, topic))
                        .isEqualTo(defaults.destinations().autoCreate(name, topic));
            }
        }
    }

    /** The shipped users file has no users and leaves the guest mapping off. */
    @Test
    void shippedUsersFileHasNoUsersAndNoGuest() {
        io.junction.core.security.Users users = io.junction.core.config.UsersReader.read(HOME.resolve("conf/users.yaml"));
        assertThat(users.users()).isEmpty();
        assertThat(users.anonymous().enabled()).isFalse();
    }

    @Test
    void shippedConfigNamesEveryModuleSetting() throws Exception {
        String yaml = Files.readString(HOME.resolve("conf/broker.yaml"));
        for (ProtocolModule module : JunctionServer.discoverModules().values()) {
            for (Setting<?> setting : module.settings()) {
                assertThat(yaml).as("conf/broker.yaml documents %s.%s", module.name(), setting.key())
                        .contains(setting.key() + ":");
            }
        }
    }

    @Test
    void commentedOutCompositeExampleIsValid(@TempDir Path dir) throws Exception {
        String text = Files.readString(HOME.resolve("conf/broker.yaml"));
        int example = text.indexOf("  # composites:");
        String uncommented = text.substring(0, example).replace("  composites: []\n", "")
                + text.substring(example).replaceAll("(?m)^  # ", "  ");
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, uncommented);
        BrokerConfig config = ConfigLoader.load(file, HOME,
                JunctionServer.settingsOf(JunctionServer.discoverModules()));
        assertThat(config.destinations().composites()).containsExactly(new CompositeConfig("orders.all",
                DestinationType.QUEUE, List.of(Destination.queue("orders.eu"), Destination.queue("orders.us"),
                        Destination.topic("audit"))));
    }

    @Test
    void commentedOutWebSocketListenerIsValid(@TempDir Path dir) throws Exception {
        String text = Files.readString(HOME.resolve("conf/broker.yaml"));
        int example = text.indexOf("  # - name: ws\n");
        int end = text.indexOf("\n\n", example);
        String uncommented = text.substring(0, example)
                + text.substring(example, end).replaceAll("(?m)^  # ", "  ") + text.substring(end);
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, uncommented);
        BrokerConfig config = ConfigLoader.load(file, HOME,
                JunctionServer.settingsOf(JunctionServer.discoverModules()));
        assertThat(config.listeners()).contains(new ListenerConfig("ws", List.of("mqtt", "stomp", "amqp"),
                Transport.WS, "127.0.0.1", ListenerConfig.WEBSOCKET_PORT, true));
    }

    @Test
    void commentedOutTlsAndWssListenersAreValid(@TempDir Path dir) throws Exception {
        TestTls tls = TestTls.get();
        Files.copy(tls.brokerKeyStore(), dir.resolve("junction.p12"));
        Files.copy(tls.brokerTrustStore(), dir.resolve("clients.p12"));
        String text = Files.readString(HOME.resolve("conf/broker.yaml"));
        int start = text.indexOf("  # - name: openwire-tls");
        int end = text.indexOf("\n\n", start);
        String uncommented = text.substring(0, start) + text.substring(start, end).replaceAll("(?m)^  # ", "  ")
                + text.substring(end);
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, uncommented);
        Map<String, String> environment = Map.of("JUNCTION_KEYSTORE_PASSWORD", TestTls.PASSWORD,
                "JUNCTION_TRUSTSTORE_PASSWORD", TestTls.PASSWORD);
        BrokerConfig config = ConfigLoader.load(file, HOME, JunctionServer.settingsOf(JunctionServer.discoverModules()),
                environment::get);
        List<ListenerConfig> tlsListeners = config.listeners().stream()
                .filter(listener -> listener.transport() == Transport.TLS).toList();
        assertThat(tlsListeners).extracting(ListenerConfig::name, ListenerConfig::port).containsExactly(
                tuple("openwire-tls", ListenerConfig.OPENWIRE_TLS_PORT),
                tuple("amqp-tls", ListenerConfig.AMQP_TLS_PORT),
                tuple("stomp-tls", ListenerConfig.STOMP_TLS_PORT),
                tuple("mqtt-tls", ListenerConfig.MQTT_TLS_PORT));
        assertThat(tlsListeners).allSatisfy(listener ->
                assertThat(listener.tls().orElseThrow().keyStore()).isEqualTo(dir.resolve("junction.p12")));
        assertThat(tlsListeners.get(0).tls().orElseThrow().clientAuth()).isEqualTo(ClientAuth.NONE);
        ListenerConfig wss = config.listeners().stream().filter(listener -> listener.transport() == Transport.WSS)
                .findFirst().orElseThrow();
        assertThat(wss.name()).isEqualTo("wss");
        assertThat(wss.port()).isEqualTo(ListenerConfig.WEBSOCKET_TLS_PORT);
        assertThat(wss.protocols()).containsExactly("mqtt", "stomp", "amqp");
        assertThat(wss.webSocketMaxFrameSize()).isEqualTo(ListenerConfig.DEFAULT_WEBSOCKET_MAX_FRAME_SIZE);
        assertThat(wss.tls().orElseThrow().keyStore()).isEqualTo(dir.resolve("junction.p12"));
    }
}
