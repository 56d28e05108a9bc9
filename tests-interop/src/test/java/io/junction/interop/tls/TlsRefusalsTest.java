package io.junction.interop.tls;

import io.junction.core.config.TlsProvider;
import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.TestTls;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static io.junction.interop.support.TestTls.listenerName;
import static io.junction.interop.tls.TlsClientsTest.amqpsUri;
import static io.junction.interop.tls.TlsClientsTest.openWireFactory;
import static io.junction.interop.tls.TlsClientsTest.pahoOptions;
import static io.junction.interop.tls.TlsClientsTest.roundTrip;
import static io.junction.interop.tls.TlsClientsTest.stompOverTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a TLS listener refuses, each time without harm to the broker: a client without a
 * certificate (or with an untrusted one) where certificates are required, a client offering only
 * TLS 1.1, and plain-TCP clients. The client-certificate checks run against a listener of each
 * TLS provider.
 */
@Timeout(90)
class TlsRefusalsTest {

    private static final TestTls TLS = TestTls.get();

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker(
            TLS.listenerYamlPerProvider("mqtt-mtls", "mqtt", "required")
                    + TLS.listenerYamlPerProvider("amqp-mtls", "amqp", "required")
                    + TLS.listenerYamlPerProvider("openwire-mtls", "openwire", "required")
                    + TLS.listenerYamlPerProvider("stomp-mtls", "stomp", "required")
                    + TLS.listenerYamlPerProvider("mqtt-optional", "mqtt", "optional")
                    + TLS.listenerYaml("all-tls", "stomp, mqtt, amqp, openwire", "none"));

    private String mqttUri(String listener) {
        return "ssl://127.0.0.1:" + broker.port(listener);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void requiredCertificateRefusesPahoWithoutOneOrWithAnUntrustedOne(TlsProvider provider) throws Exception {
        String uri = mqttUri(listenerName("mqtt-mtls", provider));
        assertThatThrownBy(() -> PahoClient.connect(uri, "no-cert", pahoOptions(false)).close())
                .isInstanceOf(MqttException.class);
        MqttConnectOptions stranger = PahoClient.options(true);
        stranger.setSocketFactory(TLS.clientContext(TLS.strangerKeyStore(), "TLSv1.3").getSocketFactory());
        assertThatThrownBy(() -> PahoClient.connect(uri, "stranger", stranger).close())
                .isInstanceOf(MqttException.class);
        try (PahoClient paho = PahoClient.connect(uri, "with-cert", pahoOptions(true))) {
            paho.subscribe("mtls/x", 1);
            paho.publish("mtls/x", "trusted", 1, false);
            assertThat(paho.await().text()).isEqualTo("trusted");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void requiredCertificateWithQpidJms(TlsProvider provider) throws Exception {
        int port = broker.port(listenerName("amqp-mtls", provider));
        assertThatThrownBy(() -> new JmsConnectionFactory(amqpsUri(port, false)).createConnection().close())
                .isInstanceOf(JMSException.class);
        try (Connection connection = new JmsConnectionFactory(amqpsUri(port, true)).createConnection()) {
            assertThat(roundTrip(connection, "mtls.amqp", "trusted")).isEqualTo("trusted");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void requiredCertificateWithTheActiveMqClient(TlsProvider provider) throws Exception {
        int port = broker.port(listenerName("openwire-mtls", provider));
        assertThatThrownBy(() -> {
            try (Connection connection = openWireFactory(port, false).createConnection()) {
                connection.start();
            }
        }).isInstanceOf(JMSException.class);
        try (Connection connection = openWireFactory(port, true).createConnection()) {
            assertThat(roundTrip(connection, "mtls.openwire", "trusted")).isEqualTo("trusted");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void requiredCertificateWithStomp(TlsProvider provider) throws Exception {
        int port = broker.port(listenerName("stomp-mtls", provider));
        try (RawStompClient stomp = stompOverTls(port, false)) {
            // With TLS 1.3 the client learns of the refusal only when it reads.
            assertThatThrownBy(() -> stomp.connect("1.2")).isInstanceOfAny(IOException.class, AssertionError.class);
        }
        try (RawStompClient stomp = stompOverTls(port, true)) {
            assertThat(stomp.connect("1.2").command()).isEqualTo("CONNECTED");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void optionalCertificateLetsClientsWithAndWithoutOneIn(TlsProvider provider) throws Exception {
        String uri = mqttUri(listenerName("mqtt-optional", provider));
        try (PahoClient without = PahoClient.connect(uri, "without", pahoOptions(false));
             PahoClient with = PahoClient.connect(uri, "with", pahoOptions(true))) {
            assertThat(without.isConnected()).isTrue();
            assertThat(with.isConnected()).isTrue();
        }
    }

    @Test
    void aTls11ClientHelloIsRefusedAndTheBrokerKeepsServing() throws Exception {
        // The JDK's own client will not even offer TLS 1.1 any more, so the hello is written by hand.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port("all-tls"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(tls11ClientHello());
            byte[] answer = readUntilClosed(socket.getInputStream());
            // Nothing, or an alert record (21); never a handshake record (22) with a ServerHello.
            assertThat(answer.length == 0 || answer[0] == 21).as("answer starting %s", answer.length == 0 ? "-"
                    : answer[0]).isTrue();
        }
        assertBrokerServesTls();
    }

    @Test
    void plainTcpClientsAreRefusedAndTheBrokerKeepsServing() throws Exception {
        int port = broker.port("all-tls");
        MqttConnectOptions plain = PahoClient.options(true);
        assertThatThrownBy(() -> PahoClient.connect("tcp://127.0.0.1:" + port, "plain", plain).close())
                .isInstanceOf(MqttException.class);
        try (RawStompClient stomp = RawStompClient.open(port)) {
            stomp.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost"));
            stomp.awaitClosed(RawStompClient.TIMEOUT);
        }
        assertThatThrownBy(() -> new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection().close())
                .isInstanceOf(JMSException.class);
        assertBrokerServesTls();
    }

    private void assertBrokerServesTls() throws Exception {
        try (PahoClient paho = PahoClient.connect(mqttUri("all-tls"), "still-there", pahoOptions(false))) {
            assertThat(paho.isConnected()).isTrue();
        }
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            assertThat(stomp).isNotNull();
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker kept the connection open; read so far: " + bytes.size() + " bytes");
        } catch (IOException reset) {
            // A reset after the alert is a refusal too.
        }
        return bytes.toByteArray();
    }

    /** A TLS 1.1 ClientHello offering two CBC suites of that era and no extensions. */
    private static byte[] tls11ClientHello() {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(0x03);
        hello.write(0x02);                                         // client_version TLS 1.1
        hello.writeBytes("junction-tls11-test-random-bytes".getBytes(StandardCharsets.US_ASCII)); // 32 bytes
        hello.write(0);                                            // no session id
        hello.writeBytes(new byte[] {0, 4, (byte) 0xC0, 0x13, 0x00, 0x2F}); // ECDHE_RSA/RSA AES_128_CBC_SHA
        hello.writeBytes(new byte[] {1, 0});                       // compression: null only
        byte[] body = hello.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int handshakeLength = body.length + 4;
        record.writeBytes(new byte[] {22, 3, 2, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length});
        record.writeBytes(body);
        return record.toByteArray();
    }
}
