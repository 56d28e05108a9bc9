package io.junction.interop.cli;

import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.support.Directories;
import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.JunctionCommand;
import io.junction.interop.support.JunctionCommand.Result;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/junction tls-keystore}: the self-signed key store it makes serves a TLS listener that a
 * real client trusting the exported certificate connects to; it keeps an existing store and wants
 * a password.
 */
@Timeout(300)
class CliTlsKeystoreTest {

    private static final String PASSWORD = "cli-secret-1";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path scratch;
    private EmbeddedBroker broker;

    CliTlsKeystoreTest() throws Exception {
        scratch = Files.createTempDirectory("junction-cli-tls-");
    }

    @AfterEach
    void cleanUp() {
        if (broker != null) {
            broker.stop();
        }
        Directories.deleteRecursively(scratch);
    }

    @Test
    void createsAKeyStoreThatATlsListenerServesAndAClientTrusts() throws Exception {
        JunctionCommand.ensureBuilt(scratch);
        Path store = scratch.resolve("conf/junction.p12");
        Result created = JunctionCommand.run(scratch, TIMEOUT, "tls-keystore", "--out", store.toString(),
                "--password", PASSWORD, "--hostname", "localhost,127.0.0.1");
        assertThat(created.exitCode()).as("%s", created).isZero();
        assertThat(created.output()).doesNotContain(PASSWORD).contains(store.toString());
        Path certificate = scratch.resolve("conf/junction.crt");
        assertThat(certificate).exists();

        broker = new EmbeddedBroker("""
                  - name: mqtt-tls
                    protocols: [mqtt]
                    transport: tls
                    port: 0
                    tls:
                      keyStore: %s
                      keyStorePassword: %s
                """.formatted(store, PASSWORD));
        broker.start();
        MqttConnectOptions options = PahoClient.options(true);
        options.setSocketFactory(trusting(certificate).getSocketFactory());
        try (PahoClient paho = PahoClient.connect("ssl://127.0.0.1:" + broker.port("mqtt-tls"), "cli-tls", options)) {
            assertThat(paho.isConnected()).isTrue();
        }

        Result again = JunctionCommand.run(scratch, TIMEOUT, "tls-keystore", "--out", store.toString(),
                "--password", PASSWORD);
        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.stderrLines()).singleElement().asString().contains("exists already").contains("--force");
    }

    @Test
    void wantsAPassword() throws Exception {
        JunctionCommand.ensureBuilt(scratch);
        Result result = JunctionCommand.run(scratch, TIMEOUT, "tls-keystore", "--out",
                scratch.resolve("x.p12").toString(), "--password", "short");
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderrLines()).singleElement().asString().contains("at least 6 characters");
        assertThat(scratch.resolve("x.p12")).doesNotExist();
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("junction", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
