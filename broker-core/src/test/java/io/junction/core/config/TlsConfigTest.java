package io.junction.core.config;

import static io.junction.core.config.TestModules.STOMP_AND_MQTT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.junction.core.TestKeyStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tls} block of a listener: keys, defaults, relative paths, and the errors for bad stores. */
class TlsConfigTest {

    private static final String PASSWORD = "secret-1";

    @TempDir
    static Path stores;

    @TempDir
    Path conf;

    @BeforeAll
    static void createStores() {
        TestKeyStores.keyPair(stores.resolve("broker.p12"), "broker", "CN=localhost", PASSWORD);
        TestKeyStores.keyPair(stores.resolve("client.p12"), "client", "CN=client", PASSWORD);
        TestKeyStores.trustStore(stores.resolve("client.p12"), "client", PASSWORD, stores.resolve("trust.p12"));
    }

    private BrokerConfig load(String tlsBlock) throws IOException {
        Path file = conf.resolve("broker.yaml");
        Files.writeString(file, """
                listeners:
                  - name: stomp-tls
                    protocols: [stomp]
                    transport: tls
                    port: 61612
                """ + tlsBlock);
        return ConfigLoader.load(file, Path.of("/nonexistent-home"), STOMP_AND_MQTT, Map.<String, String>of()::get);
    }

    private void assertFails(String tlsBlock, int line, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(tlsBlock));
        assertThat(e).as("loading should fail").isNotNull();
        assertThat(e.getMessage()).isEqualTo(conf.resolve("broker.yaml") + ":" + line + ": " + message);
    }

    @Test
    void readsEveryKey() throws IOException {
        TlsConfig tls = load("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                      trustStore: %s
                      trustStorePassword: %s
                      clientAuth: required
                """.formatted(stores.resolve("broker.p12"), PASSWORD, stores.resolve("trust.p12"), PASSWORD))
                .listeners().get(0).tls().orElseThrow();
        assertThat(tls).isEqualTo(new TlsConfig(stores.resolve("broker.p12"), PASSWORD,
                Optional.of(stores.resolve("trust.p12")), PASSWORD, ClientAuth.REQUIRED));
        assertThat(tls.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void trustStoreAndClientAuthAreOptional() throws IOException {
        TlsConfig tls = load("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                """.formatted(stores.resolve("broker.p12"), PASSWORD)).listeners().get(0).tls().orElseThrow();
        assertThat(tls.trustStore()).isEmpty();
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws IOException {
        Files.copy(stores.resolve("broker.p12"), conf.resolve("junction.p12"));
        TlsConfig tls = load("""
                    tls:
                      keyStore: junction.p12
                      keyStorePassword: %s
                """.formatted(PASSWORD)).listeners().get(0).tls().orElseThrow();
        assertThat(tls.keyStore()).isEqualTo(conf.resolve("junction.p12"));
    }

    @Test
    void tlsTransportNeedsTheBlock() {
        assertFails("", 2, "listeners[0] has transport tls but no 'tls' block"
                + " (give at least tls.keyStore and tls.keyStorePassword)");
    }

    @Test
    void blockOnlyWithTransportTls() throws IOException {
        Path file = conf.resolve("broker.yaml");
        Files.writeString(file, """
                listeners:
                  - name: stomp
                    protocols: [stomp]
                    port: 61613
                    tls:
                      keyStore: x.p12
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file, conf, STOMP_AND_MQTT, Map.<String, String>of()::get));
        assertThat(e.getMessage()).isEqualTo(file + ":6: a 'tls' block is given but the transport is tcp"
                + " (write transport: tls, or wss for WebSocket over TLS)");
    }

    @Test
    void wssTakesTheTlsBlockAndTheWebSocketKeys() throws IOException {
        Path file = conf.resolve("broker.yaml");
        Files.writeString(file, """
                listeners:
                  - name: wss
                    protocols: [mqtt, stomp]
                    transport: wss
                    port: 61619
                    webSocketMaxFrameSize: 64KB
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                """.formatted(stores.resolve("broker.p12"), PASSWORD));
        ListenerConfig wss = ConfigLoader.load(file, conf, STOMP_AND_MQTT, Map.<String, String>of()::get)
                .listeners().get(0);
        assertThat(wss.transport()).isEqualTo(Transport.WSS);
        assertThat(wss.webSocketMaxFrameSize()).isEqualTo(65536);
        assertThat(wss.tls().orElseThrow().keyStore()).isEqualTo(stores.resolve("broker.p12"));
        assertThat(wss.tls().orElseThrow().clientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void wssNeedsTheBlockAndWsRefusesIt() throws IOException {
        Path file = conf.resolve("broker.yaml");
        Files.writeString(file, """
                listeners:
                  - name: wss
                    protocols: [stomp]
                    transport: wss
                    port: 61619
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file, conf, STOMP_AND_MQTT, Map.<String, String>of()::get));
        assertThat(e.getMessage()).isEqualTo(file + ":2: listeners[0] has transport wss but no 'tls' block"
                + " (give at least tls.keyStore and tls.keyStorePassword)");
        Files.writeString(file, """
                listeners:
                  - name: ws
                    protocols: [stomp]
                    transport: ws
                    port: 61614
                    tls:
                      keyStore: x.p12
                """);
        e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file, conf, STOMP_AND_MQTT, Map.<String, String>of()::get));
        assertThat(e.getMessage()).isEqualTo(file + ":7: a 'tls' block is given but the transport is ws"
                + " (write transport: tls, or wss for WebSocket over TLS)");
    }

    @Test
    void missingKeyStoreFile() {
        assertFails("""
                    tls:
                      keyStore: missing.p12
                      keyStorePassword: x
                """, 7, "key store file not found: " + conf.resolve("missing.p12"));
    }

    @Test
    void aDisabledListenerDoesNotNeedItsStoresYet() throws IOException {
        TlsConfig tls = load("""
                    enabled: false
                    tls:
                      keyStore: not-created-yet.p12
                      keyStorePassword: x
                """).listeners().get(0).tls().orElseThrow();
        assertThat(tls.keyStore()).isEqualTo(conf.resolve("not-created-yet.p12"));
    }

    @Test
    void wrongKeyStorePassword() {
        assertFails("""
                    tls:
                      keyStore: %s
                      keyStorePassword: not-the-password
                """.formatted(stores.resolve("broker.p12")), 8,
                "wrong password for key store " + stores.resolve("broker.p12"));
    }

    @Test
    void wrongTrustStorePassword() {
        assertFails("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                      trustStore: %s
                      trustStorePassword: nope
                """.formatted(stores.resolve("broker.p12"), PASSWORD, stores.resolve("trust.p12")), 10,
                "wrong password for trust store " + stores.resolve("trust.p12"));
    }

    @Test
    void keyStoreWithoutAKey() {
        assertFails("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                """.formatted(stores.resolve("trust.p12"), PASSWORD), 7,
                "key store " + stores.resolve("trust.p12") + " holds no private key, only certificates (a key store"
                        + " needs the broker's key and certificate; certificates to trust go in trustStore)");
    }

    @Test
    void trustStoreWithoutCertificates() {
        assertFails("""
                    tls:
                      keyStore: %1$s
                      keyStorePassword: %2$s
                      trustStore: %1$s
                      trustStorePassword: %2$s
                """.formatted(stores.resolve("broker.p12"), PASSWORD), 9,
                "trust store " + stores.resolve("broker.p12") + " holds no trusted certificate entry"
                        + " (import the CA or client certificates with keytool -importcert)");
    }

    @Test
    void notAPkcs12File() throws IOException {
        Files.writeString(conf.resolve("junk.p12"), "not a key store");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load("""
                    tls:
                      keyStore: junk.p12
                      keyStorePassword: x
                """));
        assertThat(e.getMessage()).startsWith(conf.resolve("broker.yaml") + ":7: cannot read key store "
                + conf.resolve("junk.p12") + " as PKCS12: ");
    }

    @Test
    void clientCertificatesNeedATrustStore() {
        assertFails("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                      clientAuth: required
                """.formatted(stores.resolve("broker.p12"), PASSWORD), 9,
                "clientAuth required needs a 'trustStore' of the certificates client certificates must chain to");
    }

    @Test
    void unknownClientAuthAndKeys() {
        assertFails("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                      clientAuth: yes-please
                """.formatted(stores.resolve("broker.p12"), PASSWORD), 9,
                "'clientAuth' must be one of none, optional, required, was 'yes-please'");
        assertFails("""
                    tls:
                      keystore: a.p12
                """, 7, "unknown key 'keystore' in listeners[0].tls (did you mean 'keyStore'? known keys:"
                + " keyStore, keyStorePassword, trustStore, trustStorePassword, clientAuth, provider)");
    }

    @Test
    void providerDefaultsToTheDefaultAndReadsBothNames() throws IOException {
        String block = """
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                """.formatted(stores.resolve("broker.p12"), PASSWORD);
        assertThat(load(block).listeners().get(0).tls().orElseThrow().provider()).isEqualTo(TlsProvider.DEFAULT);
        assertThat(load(block + "      provider: jdk\n").listeners().get(0).tls().orElseThrow().provider())
                .isEqualTo(TlsProvider.JDK);
        TlsConfig openssl = load(block + "      provider: openssl\n").listeners().get(0).tls().orElseThrow();
        assertThat(openssl.provider()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(openssl.toString()).contains("provider=openssl");
    }

    @Test
    void unknownProviderNamesTheChoices() {
        assertFails("""
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                      provider: boringssl
                """.formatted(stores.resolve("broker.p12"), PASSWORD), 9,
                "'provider' must be one of jdk, openssl, was 'boringssl'");
    }
}
