package io.junction.core.config;

import static io.junction.core.config.TestModules.STOMP_AND_MQTT;
import static io.junction.core.config.TestModules.STOMP_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.spi.ListenerLimits;
import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.Setting;
import io.junction.core.store.journal.FsyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    /** The shipped config, relative to the broker-core module directory that tests run in. */
    private static final Path SHIPPED = Path.of("../conf/broker.yaml");

    @TempDir
    Path home;

    private final Map<String, String> environment = new HashMap<>();

    private Path write(String yaml) {
        Path file = home.resolve("broker.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private BrokerConfig load(String yaml) {
        return ConfigLoader.load(write(yaml), home, STOMP_AND_MQTT, environment::get);
    }

    /** Asserts that loading fails at {@code line} with exactly {@code message} after the {@code file:line: } prefix. */
    private void assertFails(String yaml, int line, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e).as("loading should fail").isNotNull();
        assertThat(e.getMessage()).isEqualTo(home.resolve("broker.yaml") + ":" + line + ": " + message);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.file()).isEqualTo(home.resolve("broker.yaml").toString());
    }

    private static final String LISTENER = """
            listeners:
              - name: stomp
                protocols: [stomp]
            """;

    /** The module keys of the shipped file are checked in tests-interop, where the modules are. */
    @Test
    void shippedFileDocumentsEveryCoreKey() throws IOException {
        String text = Files.readString(SHIPPED);
        Stream.of(ConfigLoader.SECTIONS, ConfigLoader.BROKER_KEYS, ListenersReader.KEYS, TlsReader.KEYS, StoreReader.KEYS,
                        ConfigLoader.MEMORY_KEYS, DestinationsReader.KEYS, DestinationsReader.POLICY_KEYS,
                        DestinationsReader.COMPOSITE_KEYS, SecurityReader.KEYS, SecurityReader.LISTENER_KEYS)
                .flatMap(List::stream)
                .forEach(key -> assertThat(text).as("key %s", key).contains(key + ":"));
    }

    @Nested
    class WholeFile {

        @ParameterizedTest
        @ValueSource(strings = {"", "# nothing but a comment\n", "---\n"})
        void emptyFileGivesTheDefaults(String yaml) {
            // The users file sits next to the config file, here in the home directory itself.
            assertThat(load(yaml)).isEqualTo(BrokerConfig.defaults(home, STOMP_AND_MQTT)
                    .withSecurity(SecurityConfig.defaults(home)));
        }

        @Test
        void missingFile() {
            Path missing = home.resolve("nope.yaml");
            assertThatThrownBy(() -> ConfigLoader.load(missing, home, STOMP_ONLY))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config file not found: " + missing);
        }

        @Test
        void unreadableFile() throws IOException {
            Path directory = Files.createDirectory(home.resolve("conf.yaml"));
            assertThatThrownBy(() -> ConfigLoader.load(directory, home, STOMP_ONLY))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cannot read config file " + directory + ": ");
        }

        @Test
        void fileThatIsNotUtf8() throws IOException {
            Path file = home.resolve("latin1.yaml");
            Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
            assertThatThrownBy(() -> ConfigLoader.load(file, home, STOMP_ONLY))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(file + ": the file is not valid UTF-8");
        }

        @Test
        void yamlSyntaxErrorKeepsSnakeYamlsLineAndColumn() {
            assertFails("a: b: c\n", 1, "invalid YAML: mapping values are not allowed here (column 5)");
            assertFails("""
                    broker:
                      name: junction
                     shutdownTimeout: 10s
                    """, 3, "invalid YAML: while parsing a block mapping,"
                    + " expected <block end>, but found '<block mapping start>' (column 2)");
        }

        @Test
        void topLevelMustBeAMapping() {
            assertFails("- broker\n", 1,
                    "the top level must be a mapping of keys to values"
                            + " (known keys: broker, listeners, protocols, store, memory, destinations, security)");
        }

        @Test
        void sectionMustBeAMapping() {
            assertFails("broker: junction\n", 1,
                    "broker must be a mapping of keys to values (known keys: name, dataDirectory, shutdownTimeout)");
        }

        @Test
        void duplicateKey() {
            assertFails("""
                    broker:
                      name: a
                      shutdownTimeout: 5s
                      name: b
                    """, 4, "duplicate key 'name' in broker (first given on line 2)");
        }

        @Test
        void unknownKeySuggestsTheClosestKnownKey() {
            assertFails(LISTENER + "    prot: 61613\n", 4, "unknown key 'prot' in listeners[0]"
                    + " (did you mean 'port'? known keys: name, protocols, transport, host, port, enabled,"
                    + " webSocketMaxFrameSize, maxMessageSize, maxConnections, tls, allowAnonymous, groups)");
            assertFails("destination:\n  autoCreateQueues: false\n", 1, "unknown key 'destination' at the top level"
                    + " (did you mean 'destinations'? known keys: broker, listeners, protocols, store, memory,"
                    + " destinations, security)");
        }

        @Test
        void unknownKeyWithoutACloseMatchListsTheKnownKeys() {
            assertFails("broker:\n  colour: blue\n", 2,
                    "unknown key 'colour' in broker (known keys: name, dataDirectory, shutdownTimeout)");
        }

        @Test
        void keyWithoutValue() {
            assertFails("broker:\n  name:\n  shutdownTimeout: 1s\n", 2, "'name' in broker has no value");
        }

        @Test
        void messageStaysOnOneLineWhenTheValueSpansSeveral() {
            assertFails("broker:\n  shutdownTimeout: |\n    10\n    s\n", 2, "'shutdownTimeout' must be "
                    + Units.DURATION_FORM + ", was '10\\ns\\n'");
        }
    }

    @Nested
    class Broker {

        @Test
        void readsEveryKey() {
            BrokerSettings broker = load("""
                    broker:
                      name: edge-1
                      dataDirectory: var/store
                      shutdownTimeout: 2m
                    """).broker();
            assertThat(broker).isEqualTo(new BrokerSettings("edge-1", home.resolve("var/store"), Duration.ofMinutes(2)));
        }

        @Test
        void absoluteDataDirectoryIsKept() {
            Path elsewhere = home.resolveSibling("elsewhere").toAbsolutePath();
            assertThat(load("broker:\n  dataDirectory: " + elsewhere + "\n").broker().dataDirectory())
                    .isEqualTo(elsewhere);
        }

        @Test
        void badDuration() {
            assertFails("broker:\n  shutdownTimeout: 10 seconds\n", 2,
                    "'shutdownTimeout' must be a duration such as 500ms, 10s, 5m, 2h, 4d or whole milliseconds,"
                            + " was '10 seconds'");
        }
    }

    @Nested
    class Listeners {

        @Test
        void readsEveryKeyAndDefaultsTheOptionalOnes() {
            List<ListenerConfig> listeners = load("""
                    listeners:
                      - name: stomp
                        protocols: [stomp]
                        port: 61613
                      - name: all-in-one
                        protocols: [mqtt, stomp]
                        transport: tcp
                        host: 0.0.0.0
                        port: 1883
                        enabled: false
                    """).listeners();
            assertThat(listeners).containsExactly(
                    new ListenerConfig("stomp", List.of("stomp"), Transport.TCP, "127.0.0.1", 61613, true),
                    new ListenerConfig("all-in-one", List.of("mqtt", "stomp"), Transport.TCP, "0.0.0.0", 1883, false));
        }

        @Test
        void emptyListOpensNoListener() {
            assertThat(load("listeners: []\n").listeners()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "70000", "-1", "1.5"})
        void portOutOfRange(String port) {
            assertFails(LISTENER + "    port: " + port + "\n", 4,
                    "'port' must be a whole number from 0 to 65535, was '" + port + "'");
        }

        @Test
        void portIsRequired() {
            assertFails(LISTENER, 2, "listeners[0] is missing required key 'port'");
        }

        @Test
        void nameIsRequiredAndLowercase() {
            assertFails("listeners:\n  - protocols: [stomp]\n    port: 1\n", 2,
                    "listeners[0] is missing required key 'name'");
            assertFails("listeners:\n  - name: Stomp_1\n    protocols: [stomp]\n    port: 1\n", 2,
                    "'name' must be lowercase letters, digits and '-' only, was 'Stomp_1'");
        }

        @Test
        void itemMustBeAMapping() {
            assertFails("listeners:\n  - stomp\n", 2, "listeners[0] must be a mapping of keys to values"
                    + " (known keys: name, protocols, transport, host, port, enabled, webSocketMaxFrameSize,"
                    + " maxMessageSize, maxConnections, tls, allowAnonymous, groups)");
        }

        @Test
        void duplicateName() {
            assertFails("""
                    listeners:
                      - name: a
                        protocols: [stomp]
                        port: 1
                      - name: a
                        protocols: [mqtt]
                        port: 2
                    """, 5, "listener name 'a' is used twice (first on line 2)");
        }

        @Test
        void unknownProtocol() {
            assertFails("listeners:\n  - name: a\n    protocols: [stmp]\n    port: 1\n", 3,
                    "unknown protocol 'stmp' in listeners[0] (did you mean 'stomp'? installed protocol modules: mqtt, stomp)");
        }

        @Test
        void protocolsMustBeANonEmptyListWithoutDuplicates() {
            assertFails("listeners:\n  - name: a\n    protocols: []\n    port: 1\n", 3,
                    "'protocols' of listeners[0] names no protocol (installed protocol modules: mqtt, stomp)");
            assertFails("listeners:\n  - name: a\n    protocols: [stomp, stomp]\n    port: 1\n", 3,
                    "protocol 'stomp' is listed twice in listeners[0]");
            assertFails("listeners:\n  - name: a\n    protocols: stomp\n    port: 1\n", 3,
                    "'protocols' in listeners[0] must be a list");
            assertFails("listeners:\n  - name: a\n    port: 1\n", 2, "listeners[0] is missing required key 'protocols'");
        }

        @Test
        void webSocketListenerWithItsFrameSize() {
            List<ListenerConfig> listeners = load("""
                    listeners:
                      - name: ws
                        protocols: [mqtt, stomp]
                        transport: ws
                        port: 61614
                        webSocketMaxFrameSize: 64KB
                      - name: ws-default
                        protocols: [stomp]
                        transport: ws
                        port: 61615
                    """).listeners();
            assertThat(listeners).containsExactly(
                    new ListenerConfig("ws", List.of("mqtt", "stomp"), Transport.WS, "127.0.0.1", 61614, true, 65536,
                            Optional.empty()),
                    new ListenerConfig("ws-default", List.of("stomp"), Transport.WS, "127.0.0.1", 61615, true));
        }

        @Test
        void limitsOfAListenerAndTheirDefaults() {
            List<ListenerConfig> listeners = load("""
                    listeners:
                      - name: small
                        protocols: [stomp]
                        port: 1
                        maxMessageSize: 64KB
                        maxConnections: 100
                      - name: usual
                        protocols: [stomp]
                        port: 2
                    """).listeners();
            assertThat(listeners.get(0).limits()).isEqualTo(new ListenerLimits(64 * 1024, 100));
            assertThat(listeners.get(1).limits()).isEqualTo(ListenerLimits.DEFAULT);
            assertThat(ListenerLimits.DEFAULT.maxMessageSize()).isEqualTo(10 * 1024 * 1024);
            assertThat(ListenerLimits.DEFAULT.maxConnections()).isZero();
        }

        @Test
        void aWebSocketListenerFramesFollowItsMaxMessageSizeUnlessGiven() {
            List<ListenerConfig> listeners = load("""
                    listeners:
                      - name: ws
                        protocols: [stomp]
                        transport: ws
                        port: 1
                        maxMessageSize: 64KB
                      - name: ws-framed
                        protocols: [stomp]
                        transport: ws
                        port: 2
                        maxMessageSize: 64KB
                        webSocketMaxFrameSize: 16KB
                    """).listeners();
            assertThat(listeners.get(0).webSocketMaxFrameSize()).isEqualTo(64 * 1024 + 1024 * 1024);
            assertThat(listeners.get(1).webSocketMaxFrameSize()).isEqualTo(16 * 1024);
            assertThat(ListenerConfig.DEFAULT_WEBSOCKET_MAX_FRAME_SIZE).isEqualTo(11 * 1024 * 1024);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "maxMessageSize: 512   | 'maxMessageSize' must be a size from 1KB to 1GB, was '512'",
                "maxMessageSize: 2GB   | 'maxMessageSize' must be a size from 1KB to 1GB, was '2GB'",
                "maxMessageSize: lots  | 'maxMessageSize' must be a size such as 512, 64KB, 10MB or 1GB, was 'lots'",
                "maxConnections: -1    | 'maxConnections' must be 0 (no limit) or a whole number of connections, was '-1'",
                "maxConnections: 1.5   | 'maxConnections' must be 0 (no limit) or a whole number of connections, was '1.5'",
        })
        void badLimits(String entry, String message) {
            assertFails(LISTENER + "    port: 1\n    " + entry + "\n", 5, message);
        }

        @Test
        void webSocketMaxFrameSizeIsForWebSocketListenersAndBounded() {
            assertFails(LISTENER + "    port: 1\n    webSocketMaxFrameSize: 1MB\n", 5,
                    "'webSocketMaxFrameSize' applies to transport ws or wss only, and listeners[0] uses tcp"
                            + " (remove it, or use transport: ws or wss)");
            assertFails(LISTENER + "    transport: ws\n    port: 1\n    webSocketMaxFrameSize: 100\n", 6,
                    "'webSocketMaxFrameSize' must be a size from 1KB to 1GB, was '100'");
        }

        @Test
        void unknownTransport() {
            assertFails(LISTENER + "    transport: udp\n    port: 1\n", 4,
                    "'transport' must be one of tcp, tls, ws, wss, was 'udp'");
        }

        @Test
        void enabledIsTrueOrFalse() {
            assertFails(LISTENER + "    port: 1\n    enabled: yes\n", 5, "'enabled' must be true or false, was 'yes'");
        }

        @Test
        void twoEnabledListenersMayNotBindTheSameAddress() {
            assertFails("""
                    listeners:
                      - name: a
                        protocols: [stomp]
                        port: 61613
                      - name: b
                        protocols: [mqtt]
                        port: 61613
                    """, 5, "listener 'b' binds 127.0.0.1:61613, which listener 'a' on line 2 already binds"
                    + " (give each enabled listener its own port)");
        }

        @Test
        void wildcardHostClashesWithAnyHostOnThePort() {
            assertFails("""
                    listeners:
                      - name: a
                        protocols: [stomp]
                        host: 10.0.0.1
                        port: 61613
                      - name: b
                        protocols: [mqtt]
                        host: 0.0.0.0
                        port: 61613
                    """, 6, "listener 'b' binds 0.0.0.0:61613, which listener 'a' on line 2 already binds"
                    + " (give each enabled listener its own port)");
        }

        @ParameterizedTest
        @CsvSource({
                "0, 127.0.0.1, 0, 127.0.0.1, true",      // ephemeral ports never clash
                "1883, 127.0.0.1, 1883, 10.0.0.1, true", // different interfaces
                "1883, 127.0.0.1, 1883, 127.0.0.1, false", // the second is not opened
        })
        void listenersThatDoNotClash(int portA, String hostA, int portB, String hostB, boolean enabledB) {
            BrokerConfig config = load("""
                    listeners:
                      - {name: a, protocols: [stomp], host: %s, port: %d}
                      - {name: b, protocols: [mqtt], host: %s, port: %d, enabled: %s}
                    """.formatted(hostA, portA, hostB, portB, enabledB));
            assertThat(config.listeners()).hasSize(2);
        }

        @Test
        void withoutListenersSectionTheDefaultListenerNeedsStomp() {
            Path file = write("broker:\n  name: x\n");
            assertThatThrownBy(() -> ConfigLoader.load(file, home, Map.of("mqtt", TestModules.MQTT)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(file + ":1: there is no 'listeners' section, and the default listener serves protocol"
                            + " 'stomp', which is not installed (add a 'listeners' section; installed protocol modules: mqtt)");
            assertThatThrownBy(() -> BrokerConfig.defaults(home, Map.of("mqtt", TestModules.MQTT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'stomp'");
        }
    }

    @Nested
    class Security {

        @Test
        void maxConnectionsPerUserDefaultsToNoLimit() {
            assertThat(load("").security().maxConnectionsPerUser()).isZero();
            assertThat(load("security:\n  maxConnectionsPerUser: 5\n").security().maxConnectionsPerUser()).isEqualTo(5);
        }

        @Test
        void maxConnectionsPerUserIsAWholeNumber() {
            assertFails("security:\n  maxConnectionsPerUser: -2\n", 2,
                    "'maxConnectionsPerUser' must be 0 (no limit) or a whole number of connections, was '-2'");
        }
    }

    @Nested
    class Protocols {

        @Test
        void configuredValuesAndDefaults() {
            Map<String, ProtocolSettings> protocols = load("""
                    protocols:
                      stomp:
                        heartbeatMin: 2s
                      mqtt:
                        maxStoredBytes: 64KB
                        retainEnabled: false
                        clientIdPrefix: dev-
                        maxSessions: 5000
                    """).protocols();
            ProtocolSettings stomp = protocols.get("stomp");
            assertThat(stomp.get(TestModules.HEARTBEAT_MIN)).isEqualTo(Duration.ofSeconds(2));
            assertThat(stomp.get(TestModules.MAX_HEADERS)).isEqualTo(128);
            ProtocolSettings mqtt = protocols.get("mqtt");
            assertThat(mqtt.get(TestModules.RETAIN)).isFalse();
            assertThat(mqtt.get(TestModules.CLIENT_PREFIX)).isEqualTo("dev-");
            assertThat(mqtt.get(TestModules.MAX_SESSIONS)).isEqualTo(5000L);
            assertThat(mqtt.get(TestModules.MAX_STORED_BYTES)).isEqualTo(64 * 1024L);
        }

        @Test
        void everyInstalledModuleGetsSettingsEvenWithoutASection() {
            ProtocolSettings mqtt = load("").protocols().get("mqtt");
            assertThat(mqtt.get(TestModules.MAX_SESSIONS)).isEqualTo(100_000L);
        }

        @Test
        void askingForAnUndeclaredSettingFails() {
            ProtocolSettings stomp = load("").protocols().get("stomp");
            assertThatThrownBy(() -> stomp.get(TestModules.RETAIN))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("protocol module 'stomp' did not declare setting 'retainEnabled'");
        }

        @Test
        void unknownModule() {
            assertFails("protocols:\n  stmop:\n    maxHeaders: 1\n", 2, "unknown protocol module 'stmop' in protocols"
                    + " (did you mean 'stomp'? known protocol modules: mqtt, stomp)");
        }

        @Test
        void unknownKey() {
            assertFails("protocols:\n  stomp:\n    maxHeader: 1\n", 3, "unknown key 'maxHeader' in protocols.stomp"
                    + " (did you mean 'maxHeaders'? known keys: maxHeaders, maxHeaderLineLength,"
                    + " connectTimeout, heartbeatMin, heartbeatGraceFactor, defaultPrefetch)");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "stomp | maxFrameSize",
                "mqtt  | maxPacketSize",
        })
        void sizeKeysThatMovedToTheListenersNameTheirNewPlace(String module, String key) {
            assertFails("protocols:\n  " + module + ":\n    " + key + ": 2MB\n", 3, "'" + key + "' in protocols."
                    + module + " has moved to listeners[].maxMessageSize, one limit for every protocol of a listener"
                    + " (10MB unless the listener gives another)");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "maxHeaders: 0           | 'maxHeaders' must be a whole number of at least 1, was '0'",
                "maxHeaders: many        | 'maxHeaders' must be a whole number of at least 1, was 'many'",
                "heartbeatMin: 5ms       | 'heartbeatMin' must be a duration of at least 10ms, was '5ms'",
                "heartbeatGraceFactor: 99 | 'heartbeatGraceFactor' must be a whole number of at least 100, was '99'",
        })
        void valuesBelowMinimumOrOfTheWrongType(String entry, String message) {
            assertFails("protocols:\n  stomp:\n    " + entry + "\n", 3, message);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "maxSessions: 0       | 'maxSessions' must be a whole number of at least 1, was '0'",
                "retainEnabled: 1     | 'retainEnabled' must be true or false, was '1'",
                "maxStoredBytes: 512   | 'maxStoredBytes' must be a size of at least 1KB, was '512'",
                "maxStoredBytes: 10MiB | 'maxStoredBytes' must be a size such as 512, 64KB, 10MB or 1GB, was '10MiB'",
        })
        void otherKinds(String entry, String message) {
            assertFails("protocols:\n  mqtt:\n    " + entry + "\n", 3, message);
        }
    }

    @Nested
    class DurationsAndSizes {

        @ParameterizedTest
        @CsvSource({"0, 0", "500ms, 500", "10s, 10000", "5m, 300000", "2h, 7200000", "4d, 345600000", "250, 250"})
        void durations(String text, long millis) {
            assertThat(Units.parseDuration(text)).contains(Duration.ofMillis(millis));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "-5s", "1.5s", "10 s", "10sec", "s", "5w", "99999999999999999999"})
        void invalidDurations(String text) {
            assertThat(Units.parseDuration(text)).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"512, 512", "64KB, 65536", "10MB, 10485760", "1GB, 1073741824", "2gb, 2147483648"})
        void sizes(String text, long bytes) {
            assertThat(Units.parseSize(text)).contains(bytes);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "-1", "1.5MB", "10 MB", "1TB", "1B", "MB", "99999999999GB"})
        void invalidSizes(String text) {
            assertThat(Units.parseSize(text)).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"0, 0ms", "10, 10ms", "1500, 1500ms", "100000, 100s", "60000, 1m", "7200000, 2h", "86400000, 1d"})
        void durationsAreShownInTheirLargestExactUnit(long millis, String text) {
            assertThat(Units.formatDuration(Duration.ofMillis(millis))).isEqualTo(text);
        }

        @ParameterizedTest
        @CsvSource({"0, 0", "512, 512", "1024, 1KB", "1536, 1536", "10485760, 10MB", "1073741824, 1GB"})
        void sizesAreShownInTheirLargestExactUnit(long bytes, String text) {
            assertThat(Units.formatSize(bytes)).isEqualTo(text);
        }

        @Test
        void expiryScanIntervalHasAMinimum() {
            assertFails("destinations:\n  expiryScanInterval: 50ms\n", 2,
                    "'expiryScanInterval' must be a duration of at least 100ms, was '50ms'");
        }
    }

    @Nested
    class EnvironmentVariables {

        private static final String YAML = """
                listeners:
                  - name: ${NAME}
                    protocols: [stomp]
                    host: ${HOST:-0.0.0.0}
                    port: ${PORT}
                """;

        @Test
        void substitutesSetVariablesAndDefaults() {
            environment.put("NAME", "edge");
            environment.put("PORT", "1234");
            assertThat(load(YAML).listeners()).containsExactly(
                    new ListenerConfig("edge", List.of("stomp"), Transport.TCP, "0.0.0.0", 1234, true));
        }

        @Test
        void defaultAlsoReplacesAnEmptyVariable() {
            environment.put("NAME", "edge");
            environment.put("PORT", "1234");
            environment.put("HOST", "");
            assertThat(load(YAML).listeners().get(0).host()).isEqualTo("0.0.0.0");
        }

        @Test
        void severalReferencesInOneValue() {
            environment.put("SITE", "eu");
            environment.put("NODE", "7");
            assertThat(load("broker:\n  name: broker-${SITE}-${NODE}.x\n").broker().name()).isEqualTo("broker-eu-7.x");
        }

        @Test
        void unsetVariableWithoutDefault() {
            environment.put("NAME", "edge");
            assertFails(YAML, 5, "environment variable 'PORT' is not set (set it, or give a default: ${PORT:-value})");
        }

        @Test
        void substitutedValueIsValidatedLikeAWrittenOne() {
            environment.put("NAME", "edge");
            environment.put("PORT", "http");
            assertFails(YAML, 5, "'port' must be a whole number from 0 to 65535, was 'http'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"${1X}", "${}", "${NAME", "${NA ME}"})
        void malformedReference(String value) {
            assertFails("broker:\n  name: \"" + value + "\"\n", 2,
                    "malformed variable reference in '" + value + "' (write ${NAME} or ${NAME:-default})");
        }
    }

    @Nested
    class Policies {

        private static final String YAML = """
                destinations:
                  autoCreateQueues: false
                  policies:
                    - match: orders.>
                      type: queue
                      maxRedeliveries: 2
                      deadLetterPerDestination: true
                      autoCreate: true
                    - match: ">"
                      redeliveryDelay: 5s
                      expiry: expiryQueue
                """;

        @Test
        void firstMatchingPolicyWinsAndFillsTheRestWithDefaults() {
            DestinationsConfig destinations = load(YAML).destinations();

            DestinationPolicy orders = destinations.policyFor("orders.eu", false);
            assertThat(orders.match()).isEqualTo("orders.>");
            assertThat(orders.values()).isEqualTo(
                    new PolicyValues(2, Duration.ZERO, "DLQ", true, ExpiryAction.DROP, "ExpiryQueue",
                            PolicyValues.DEFAULT_MEMORY_LIMIT, FullPolicy.PAGE));
            assertThat(orders.values().deadLetterQueueFor("orders.eu")).isEqualTo("DLQ.orders.eu");

            // The first policy is for queues only, so a topic of the same name falls through to '>'.
            DestinationPolicy ordersTopic = destinations.policyFor("orders.eu", true);
            assertThat(ordersTopic.match()).isEqualTo(">");
            assertThat(ordersTopic.values()).isEqualTo(
                    new PolicyValues(6, Duration.ofSeconds(5), "DLQ", false, ExpiryAction.EXPIRY_QUEUE, "ExpiryQueue",
                            PolicyValues.DEFAULT_MEMORY_LIMIT, FullPolicy.PAGE));
            assertThat(ordersTopic.values().deadLetterQueueFor("orders.eu")).isEqualTo("DLQ");
        }

        @Test
        void withoutPoliciesTheDefaultApplies() {
            assertThat(load("").destinations().policyFor("anything", true)).isEqualTo(DestinationPolicy.DEFAULT);
        }

        @Test
        void autoCreateFollowsThePolicyElseTheGlobalFlag() {
            DestinationsConfig destinations = load(YAML).destinations();
            assertThat(destinations.autoCreate("orders.eu", false)).isTrue();   // policy says true
            assertThat(destinations.autoCreate("prices", false)).isFalse();     // autoCreateQueues: false
            assertThat(destinations.autoCreate("prices", true)).isTrue();       // autoCreateTopics default
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "orders.>.eu | '>' may only be the last word",
                "ord*        | '*' and '>' must be whole words, not part of 'ord*'",
                "orders..eu  | it has an empty word (leading, trailing or doubled '.')",
                "orders.     | it has an empty word (leading, trailing or doubled '.')",
                "\"a, b\"      | it contains a space or a comma",
        })
        void invalidMatchPattern(String pattern, String problem) {
            assertFails("destinations:\n  policies:\n    - match: \"" + pattern + "\"\n", 3,
                    "'match' must be " + DestinationNames.PATTERN_FORM + ", was '" + pattern + "' (" + problem + ")");
        }

        @Test
        void unquotedLoneRestWildcardIsExplained() {
            assertFails("destinations:\n  policies:\n    - match: >\n      type: any\n", 3, "'match' must be "
                    + DestinationNames.PATTERN_FORM + ", was '' (it is empty; write a lone '>' in quotes: \">\")");
        }

        @Test
        void matchIsRequired() {
            assertFails("destinations:\n  policies:\n    - maxRedeliveries: 1\n", 3,
                    "destinations.policies[0] is missing required key 'match'");
        }

        @Test
        void unlimitedRedeliveriesIsMinusOne() {
            PolicyValues values = load("destinations:\n  policies:\n    - {match: a, maxRedeliveries: -1}\n")
                    .destinations().policyFor("a", false).values();
            assertThat(values.maxRedeliveries()).isEqualTo(PolicyValues.UNLIMITED);
        }

        @Test
        void memoryLimitAndFullPolicyDefaultToPagingPast32MB() {
            PolicyValues values = load("destinations:\n  policies:\n    - {match: a}\n")
                    .destinations().policyFor("a", false).values();
            assertThat(values.memoryLimit()).isEqualTo(32L * 1024 * 1024);
            assertThat(values.fullPolicy()).isEqualTo(FullPolicy.PAGE);
        }

        @ParameterizedTest
        @CsvSource({"page, PAGE", "block, BLOCK", "fail, FAIL", "dropOldest, DROP_OLDEST"})
        void readsMemoryLimitAndEveryFullPolicy(String yamlName, FullPolicy policy) {
            PolicyValues values = load("destinations:\n  policies:\n    - match: a\n      memoryLimit: 64KB\n"
                    + "      fullPolicy: " + yamlName + "\n").destinations().policyFor("a", false).values();
            assertThat(values.memoryLimit()).isEqualTo(64 * 1024L);
            assertThat(values.fullPolicy()).isEqualTo(policy);
            assertThat(policy.yamlName()).isEqualTo(yamlName);
        }

        @Test
        void memoryLimitBelowTheMinimumIsRejectedOutsideTheLoaderToo() {
            PolicyValues d = PolicyValues.DEFAULTS;
            assertThatThrownBy(() -> new PolicyValues(d.maxRedeliveries(), d.redeliveryDelay(), d.deadLetterQueue(),
                    d.deadLetterPerDestination(), d.expiry(), d.expiryQueue(), 1024, d.fullPolicy()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("memoryLimit must be at least 64KB, was 1024");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "maxRedeliveries: -2     | 'maxRedeliveries' must be a whole number of at least 0, or -1 for unlimited, was '-2'",
                "type: temporary         | 'type' must be one of any, queue, topic, was 'temporary'",
                "expiry: keep            | 'expiry' must be one of drop, expiryQueue, was 'keep'",
                "autoCreate: maybe       | 'autoCreate' must be true or false, was 'maybe'",
                "redeliveryDelay: soon   | 'redeliveryDelay' must be " + Units.DURATION_FORM + ", was 'soon'",
                "deadLetterQueue: DLQ.*  | 'deadLetterQueue' must be " + DestinationNames.NAME_FORM + ", was 'DLQ.*' (a name cannot contain the wildcards '*' or '>')",
                "memoryLimit: 32KB       | 'memoryLimit' must be a size of at least 64KB, was '32KB'",
                "memoryLimit: 1TB        | 'memoryLimit' must be " + Units.SIZE_FORM + ", was '1TB'",
                "fullPolicy: drop_oldest | 'fullPolicy' must be one of page, block, fail, dropOldest, was 'drop_oldest'",
                "fullPolicy: Page        | 'fullPolicy' must be one of page, block, fail, dropOldest, was 'Page'",
        })
        void invalidPolicyValues(String entry, String message) {
            assertFails("destinations:\n  policies:\n    - match: \">\"\n      " + entry + "\n", 4, message);
        }
    }

    @Nested
    class Store {

        @Test
        void defaults() {
            assertThat(load("").store()).isEqualTo(StoreConfig.DEFAULTS);
            assertThat(StoreConfig.DEFAULTS).isEqualTo(new StoreConfig(FsyncPolicy.ALWAYS, Duration.ofMillis(100),
                    32L * 1024 * 1024, 50, 0, DiskFullPolicy.BLOCK));
        }

        @Test
        void readsEveryKey() {
            StoreConfig store = load("""
                    store:
                      fsync: interval
                      fsyncInterval: 5ms
                      segmentSize: 1GB
                      compactBelow: 90
                      maxDiskUsage: 10GB
                      diskFullPolicy: fail
                    """).store();
            assertThat(store).isEqualTo(new StoreConfig(FsyncPolicy.INTERVAL, Duration.ofMillis(5),
                    1024L * 1024 * 1024, 90, 10L * 1024 * 1024 * 1024, DiskFullPolicy.FAIL));
        }

        @Test
        void smallestValues() {
            StoreConfig store = load("""
                    store:
                      fsyncInterval: 1ms
                      segmentSize: 1MB
                      compactBelow: 1
                      maxDiskUsage: 1MB
                    """).store();
            assertThat(store).isEqualTo(new StoreConfig(FsyncPolicy.ALWAYS, Duration.ofMillis(1),
                    1024L * 1024, 1, 1024L * 1024, DiskFullPolicy.BLOCK));
        }

        @ParameterizedTest
        @CsvSource({"always, ALWAYS", "interval, INTERVAL", "never, NEVER"})
        void everyFsyncPolicy(String yamlName, FsyncPolicy policy) {
            assertThat(load("store:\n  fsync: " + yamlName + "\n").store().fsync()).isEqualTo(policy);
        }

        @ParameterizedTest
        @CsvSource({"block, BLOCK", "fail, FAIL"})
        void everyDiskFullPolicy(String yamlName, DiskFullPolicy policy) {
            assertThat(load("store:\n  diskFullPolicy: " + yamlName + "\n").store().diskFullPolicy()).isEqualTo(policy);
            assertThat(policy.yamlName()).isEqualTo(yamlName);
        }

        @Test
        void fsyncIntervalIsAcceptedWithAnyFsyncPolicy() {
            StoreConfig store = load("store:\n  fsync: always\n  fsyncInterval: 2s\n").store();
            assertThat(store.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
            assertThat(store.fsyncInterval()).isEqualTo(Duration.ofSeconds(2));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "fsync: sometimes         | 'fsync' must be one of always, interval, never, was 'sometimes'",
                "fsync: ALWAYS            | 'fsync' must be one of always, interval, never, was 'ALWAYS'",
                "fsyncInterval: 0         | 'fsyncInterval' must be a duration of at least 1ms, was '0'",
                "fsyncInterval: fast      | 'fsyncInterval' must be " + Units.DURATION_FORM + ", was 'fast'",
                "segmentSize: 512KB       | 'segmentSize' must be a size from 1MB to 1GB, was '512KB'",
                "segmentSize: 2GB         | 'segmentSize' must be a size from 1MB to 1GB, was '2GB'",
                "segmentSize: big         | 'segmentSize' must be " + Units.SIZE_FORM + ", was 'big'",
                "compactBelow: 0          | 'compactBelow' must be a percentage from 1 to 90, was '0'",
                "compactBelow: 91         | 'compactBelow' must be a percentage from 1 to 90, was '91'",
                "compactBelow: 50%        | 'compactBelow' must be a percentage from 1 to 90, was '50%'",
                "maxDiskUsage: -1         | 'maxDiskUsage' must be " + Units.SIZE_FORM + ", was '-1'",
                "maxDiskUsage: 16MB       | 'maxDiskUsage' must be 0 (no limit) or a size of at least one segment (segmentSize 32MB), was '16MB'",
                "diskFullPolicy: dropOldest | 'diskFullPolicy' must be one of block, fail, was 'dropOldest'",
        })
        void invalidValues(String entry, String message) {
            assertFails("broker:\n  name: edge\nstore:\n  " + entry + "\n", 4, message);
        }

        @Test
        void maxDiskUsageIsCheckedAgainstTheConfiguredSegmentSizeWhereverItIsWritten() {
            assertThat(load("store:\n  maxDiskUsage: 48MB\n  segmentSize: 16MB\n").store().maxDiskUsage())
                    .isEqualTo(48L * 1024 * 1024);
            assertFails("store:\n  maxDiskUsage: 48MB\n  segmentSize: 64MB\n", 2, "'maxDiskUsage' must be 0 (no limit)"
                    + " or a size of at least one segment (segmentSize 64MB), was '48MB'");
        }

        @Test
        void unknownKey() {
            assertFails("store:\n  fsynch: never\n", 2, "unknown key 'fsynch' in store (did you mean 'fsync'?"
                    + " known keys: fsync, fsyncInterval, segmentSize, compactBelow, maxDiskUsage, diskFullPolicy)");
        }

        @Test
        void sectionMustBeAMapping() {
            assertFails("store: always\n", 1, "store must be a mapping of keys to values"
                    + " (known keys: fsync, fsyncInterval, segmentSize, compactBelow, maxDiskUsage, diskFullPolicy)");
        }

        @Test
        void invalidValuesAreRejectedOutsideTheLoaderToo() {
            StoreConfig d = StoreConfig.DEFAULTS;
            assertThatThrownBy(() -> new StoreConfig(d.fsync(), Duration.ZERO, d.segmentSize(),
                    d.compactBelowPercent(), d.maxDiskUsage(), d.diskFullPolicy()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("fsyncInterval");
            assertThatThrownBy(() -> new StoreConfig(d.fsync(), d.fsyncInterval(), 2L * 1024 * 1024 * 1024,
                    d.compactBelowPercent(), d.maxDiskUsage(), d.diskFullPolicy()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("segmentSize");
            assertThatThrownBy(() -> new StoreConfig(d.fsync(), d.fsyncInterval(), d.segmentSize(),
                    91, d.maxDiskUsage(), d.diskFullPolicy()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("compactBelowPercent");
            assertThatThrownBy(() -> new StoreConfig(d.fsync(), d.fsyncInterval(), d.segmentSize(),
                    d.compactBelowPercent(), 1024, d.diskFullPolicy()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxDiskUsage");
        }
    }

    @Nested
    class Memory {

        private final long quarterOfTheHeap = Runtime.getRuntime().maxMemory() / 4;

        @Test
        void defaultIsAQuarterOfTheMaximumHeap() {
            assertThat(MemoryConfig.defaults().maxBrokerMemory()).isEqualTo(quarterOfTheHeap);
            assertThat(load("").memory()).isEqualTo(MemoryConfig.defaults());
            assertThat(load("memory:\n").memory()).isEqualTo(MemoryConfig.defaults());
        }

        @Test
        void autoIsAQuarterOfTheMaximumHeap() {
            assertThat(load("memory:\n  maxBrokerMemory: auto\n").memory().maxBrokerMemory())
                    .isEqualTo(quarterOfTheHeap);
        }

        @ParameterizedTest
        @CsvSource({"256MB, 268435456", "1MB, 1048576", "2GB, 2147483648", "1048576, 1048576"})
        void size(String text, long bytes) {
            assertThat(load("memory:\n  maxBrokerMemory: " + text + "\n").memory()).isEqualTo(new MemoryConfig(bytes));
        }

        @ParameterizedTest
        @ValueSource(strings = {"512KB", "0", "-1", "lots", "Auto", "1TB"})
        void invalid(String text) {
            assertFails("memory:\n  maxBrokerMemory: " + text + "\n", 2,
                    "'maxBrokerMemory' must be auto or a size of at least 1MB, was '" + text + "'");
        }

        @Test
        void unknownKey() {
            assertFails("memory:\n  maxBrokerMemmory: 1GB\n", 2, "unknown key 'maxBrokerMemmory' in memory"
                    + " (did you mean 'maxBrokerMemory'? known keys: maxBrokerMemory, maxScheduledMessages)");
        }

        @Test
        void maxScheduledMessages() throws Exception {
            assertThat(load("memory:\n  maxScheduledMessages: 25\n").memory().maxScheduledMessages()).isEqualTo(25);
            assertThat(load("").memory().maxScheduledMessages())
                    .isEqualTo(MemoryConfig.DEFAULT_MAX_SCHEDULED_MESSAGES);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "many", "1.5"})
        void invalidMaxScheduledMessages(String text) {
            assertFails("memory:\n  maxScheduledMessages: " + text + "\n", 2,
                    "'maxScheduledMessages' must be a whole number of at least 1, was '" + text + "'");
        }

        @Test
        void mustBePositiveOutsideTheLoader() {
            assertThatThrownBy(() -> new MemoryConfig(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxBrokerMemory must be positive, was 0");
        }
    }

    @Nested
    class WildcardMatching {

        @ParameterizedTest(name = "{0} matches {1}: {2}")
        @CsvSource({
                "orders.>,   orders.eu,        true",
                "orders.>,   orders.eu.paid,   true",
                "orders.>,   orders,           false",
                "orders.>,   ordersx.eu,       false",
                "orders.*,   orders.eu,        true",
                "orders.*,   orders.eu.paid,   false",
                "orders.*,   orders,           false",
                "*.eu.*,     orders.eu.paid,   true",
                "*.eu.*,     orders.us.paid,   false",
                "orders.*.>, orders.eu,        false",
                "orders.*.>, orders.eu.paid,   true",
                ">,          orders,           true",
                ">,          a.b.c,            true",
                "*,          orders,           true",
                "*,          orders.eu,        false",
                "orders,     orders,           true",
                "orders,     orders.eu,        false",
                "orders.eu,  orders,           false",
        })
        void table(String pattern, String name, boolean matches) {
            DestinationPolicy policy = new DestinationPolicy(pattern, PolicyType.ANY, Optional.empty(), PolicyValues.DEFAULTS);
            assertThat(policy.matches(name, false)).isEqualTo(matches);
            assertThat(policy.matches(name, true)).isEqualTo(matches);
        }

        @Test
        void typeRestrictsTheKind() {
            DestinationPolicy topics = new DestinationPolicy(">", PolicyType.TOPIC, Optional.empty(), PolicyValues.DEFAULTS);
            assertThat(topics.matches("a", true)).isTrue();
            assertThat(topics.matches("a", false)).isFalse();
        }

        @Test
        void invalidPatternIsRejectedOutsideTheLoaderToo() {
            assertThatThrownBy(() -> new DestinationPolicy("a.>.b", PolicyType.ANY, Optional.empty(), PolicyValues.DEFAULTS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'>' may only be the last word");
        }
    }

    @Nested
    class Composites {

        @Test
        void readsTargetsWithPlainNamesAsQueues() {
            List<CompositeConfig> composites = load("""
                    destinations:
                      composites:
                        - name: orders.all
                          targets: [queue://orders.eu, orders.us, topic://audit]
                        - name: fanout
                          type: topic
                          targets: [topic://a]
                    """).destinations().composites();
            assertThat(composites).containsExactly(
                    new CompositeConfig("orders.all", DestinationType.QUEUE, List.of(
                            Destination.queue("orders.eu"), Destination.queue("orders.us"), Destination.topic("audit"))),
                    new CompositeConfig("fanout", DestinationType.TOPIC, List.of(Destination.topic("a"))));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "[topic://audit.*]       | 'targets' must be " + DestinationNames.NAME_FORM + ", was 'topic://audit.*' (a name cannot contain the wildcards '*' or '>')",
                "[temp-queue://x]        | 'targets' must be queue://<name>, topic://<name> or a plain queue name, was 'temp-queue://x'",
                "[a, queue://all]        | composite queue://all cannot target itself",
                "[a, queue://a]          | target queue://a is listed twice in composite 'all'",
                "[]                      | 'targets' of composite 'all' names no destination (write queue://<name>, topic://<name> or a plain queue name)",
        })
        void invalidTargets(String targets, String message) {
            assertFails("destinations:\n  composites:\n    - name: all\n      targets: " + targets + "\n", 4, message);
        }

        @Test
        void nameAndTargetsAreRequiredAndNamesUnique() {
            assertFails("destinations:\n  composites:\n    - targets: [a]\n", 3,
                    "destinations.composites[0] is missing required key 'name'");
            assertFails("destinations:\n  composites:\n    - name: all\n", 3,
                    "destinations.composites[0] is missing required key 'targets'");
            assertFails("destinations:\n  composites:\n    - name: all.>\n      targets: [a]\n", 3,
                    "'name' must be " + DestinationNames.NAME_FORM + ", was 'all.>' (a name cannot contain the wildcards '*' or '>')");
            assertFails("""
                    destinations:
                      composites:
                        - {name: all, targets: [a]}
                        - {name: all, targets: [b]}
                    """, 4, "composite queue://all is declared twice");
        }
    }

    @Nested
    class Overrides {

        @Test
        void listenerPortCanBeChanged() {
            BrokerConfig config = BrokerConfig.defaults(home, STOMP_ONLY).withListenerPort("stomp", 0);
            assertThat(config.listeners()).containsExactly(ListenerConfig.DEFAULT.withPort(0));
        }

        @Test
        void unknownListenerNamesTheKnownOnes() {
            assertThatThrownBy(() -> BrokerConfig.defaults(home, STOMP_ONLY).withListenerPort("amqp", 5672))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown listener 'amqp' (known listeners: stomp)");
        }

        @Test
        void portOutOfRange() {
            assertThatThrownBy(() -> BrokerConfig.defaults(home, STOMP_ONLY).withListenerPort("stomp", 65536))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void dataDirectoryCanBeChanged() {
            Path elsewhere = home.resolve("elsewhere");
            BrokerConfig config = BrokerConfig.defaults(home, STOMP_ONLY).withDataDirectory(elsewhere);
            assertThat(config.broker().dataDirectory()).isEqualTo(elsewhere);
            assertThat(config.broker().name()).isEqualTo(BrokerSettings.DEFAULT_NAME);
        }

        @Test
        void overridesKeepTheStoreAndMemorySettings() {
            BrokerConfig loaded = load(LISTENER + "    port: 1\nstore:\n  fsync: never\nmemory:\n  maxBrokerMemory: 64MB\n");
            BrokerConfig changed = loaded.withListenerPort("stomp", 0).withDataDirectory(home.resolve("elsewhere"));
            assertThat(changed.store()).isEqualTo(loaded.store());
            assertThat(changed.store().fsync()).isEqualTo(FsyncPolicy.NEVER);
            assertThat(changed.memory()).isEqualTo(new MemoryConfig(64L * 1024 * 1024));
        }
    }
}
