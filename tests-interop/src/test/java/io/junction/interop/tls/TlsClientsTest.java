package io.junction.interop.tls;

import io.junction.core.config.TlsProvider;
import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.TestTls;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import java.net.InetAddress;

import static io.junction.interop.support.TestTls.listenerName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each protocol's real client over a TLS listener (clientAuth none): Paho over {@code ssl://} (and
 * mosquitto_pub with {@code --cafile}), Qpid JMS over {@code amqps://}, the ActiveMQ client over {@code ssl://}, and a STOMP exchange
 * over an {@code SSLSocket}; then all four on one TLS port, where the protocol is detected from
 * the decrypted bytes. Each protocol's client runs against a listener of each TLS provider.
 */
@Timeout(60)
class TlsClientsTest {

    private static final TestTls TLS = TestTls.get();

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker(
            TLS.listenerYamlPerProvider("stomp-tls", "stomp", "none")
                    + TLS.listenerYamlPerProvider("mqtt-tls", "mqtt", "none")
                    + TLS.listenerYamlPerProvider("amqp-tls", "amqp", "none")
                    + TLS.listenerYamlPerProvider("openwire-tls", "openwire", "none")
                    + TLS.listenerYaml("all-tls", "stomp, mqtt, amqp, openwire", "none"));

    static MqttConnectOptions pahoOptions(boolean withCertificate) {
        MqttConnectOptions options = PahoClient.options(true);
        options.setSocketFactory(TLS.clientContext(withCertificate).getSocketFactory());
        return options;
    }

    static String amqpsUri(int port, boolean withCertificate) {
        String uri = "amqps://127.0.0.1:" + port + "?transport.trustStoreLocation=" + TLS.clientTrustStore()
                + "&transport.trustStorePassword=" + TestTls.PASSWORD + "&transport.trustStoreType=PKCS12";
        if (withCertificate) {
            uri += "&transport.keyStoreLocation=" + TLS.clientKeyStore() + "&transport.keyStorePassword="
                    + TestTls.PASSWORD + "&transport.keyStoreType=PKCS12";
        }
        return uri;
    }

    static ActiveMQSslConnectionFactory openWireFactory(int port, boolean withCertificate) throws Exception {
        ActiveMQSslConnectionFactory factory = new ActiveMQSslConnectionFactory("ssl://127.0.0.1:" + port);
        factory.setTrustStoreType("PKCS12");
        factory.setTrustStore(TLS.clientTrustStore().toString());
        factory.setTrustStorePassword(TestTls.PASSWORD);
        if (withCertificate) {
            factory.setKeyStoreType("PKCS12");
            factory.setKeyStore(TLS.clientKeyStore().toString());
            factory.setKeyStorePassword(TestTls.PASSWORD);
        }
        return factory;
    }

    static RawStompClient stompOverTls(int port, boolean withCertificate) throws Exception {
        SSLSocket socket = (SSLSocket) TLS.clientContext(withCertificate).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) RawStompClient.TIMEOUT.toMillis());
        return RawStompClient.over(socket);
    }

    /** Sends a text message to {@code queue} on one connection and receives it on the same one. */
    static String roundTrip(Connection connection, String queue, String text) throws Exception {
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
        TextMessage received = (TextMessage) consumer.receive(5000);
        assertThat(received).as("message on %s", queue).isNotNull();
        return received.getText();
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void pahoOverSsl(TlsProvider provider) throws Exception {
        String uri = "ssl://127.0.0.1:" + broker.port(listenerName("mqtt-tls", provider));
        try (PahoClient paho = PahoClient.connect(uri, "tls-paho", pahoOptions(false))) {
            paho.subscribe("tls/mqtt", 1);
            paho.publish("tls/mqtt", "over tls", 1, false);
            assertThat(paho.await().text()).isEqualTo("over tls");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void mosquittoPubWithTheBrokerCertificateAsCaFile(TlsProvider provider) throws Exception {
        int port = broker.port(listenerName("mqtt-tls", provider));
        try (PahoClient paho = PahoClient.connect("ssl://127.0.0.1:" + port, "tls-mosquitto-sub", pahoOptions(false))) {
            paho.subscribe("tls/mosquitto", 1);
            Process pub = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", "127.0.0.1",
                    "-p", String.valueOf(port), "--cafile", TLS.brokerCertificatePem().toString(),
                    "-t", "tls/mosquitto", "-q", "1", "-m", "from mosquitto_pub").redirectErrorStream(true).start();
            assertThat(pub.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes())).isZero();
            assertThat(paho.await().text()).isEqualTo("from mosquitto_pub");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void qpidJmsOverAmqps(TlsProvider provider) throws Exception {
        int port = broker.port(listenerName("amqp-tls", provider));
        try (Connection connection = new JmsConnectionFactory(amqpsUri(port, false)).createConnection()) {
            assertThat(roundTrip(connection, "tls.amqp", "over amqps")).isEqualTo("over amqps");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void activeMqClientOverSsl(TlsProvider provider) throws Exception {
        int port = broker.port(listenerName("openwire-tls", provider));
        try (Connection connection = openWireFactory(port, false).createConnection()) {
            assertThat(roundTrip(connection, "tls.openwire", "over ssl")).isEqualTo("over ssl");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void stompOverAnSslSocket(TlsProvider provider) throws Exception {
        try (RawStompClient stomp = stompOverTls(broker.port(listenerName("stomp-tls", provider)), false)) {
            assertThat(stomp.connect("1.2").header("version")).isEqualTo("1.2");
            stomp.write(RawStompClient.frame("SUBSCRIBE", "id:1", "destination:/queue/tls.stomp", "receipt:r1"));
            assertThat(stomp.readFrame().command()).isEqualTo("RECEIPT");
            stomp.write(RawStompClient.frameWithBody("SEND", "over tls", "destination:/queue/tls.stomp"));
            RawFrame message = stomp.readFrame();
            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.bodyText()).isEqualTo("over tls");
        }
    }

    @Test
    void everyProtocolIsDetectedOnOneTlsPort() throws Exception {
        int port = broker.port("all-tls");
        try (RawStompClient stomp = stompOverTls(port, false);
             PahoClient paho = PahoClient.connect("ssl://127.0.0.1:" + port, "tls-detect", pahoOptions(false))) {
            stomp.connect("1.2");
            stomp.write(RawStompClient.frame("SUBSCRIBE", "id:1", "destination:/topic/tls.detect", "receipt:r1"));
            assertThat(stomp.readFrame().command()).isEqualTo("RECEIPT");
            paho.publish("tls/detect", "from mqtt", 1, false);
            RawFrame message = stomp.readFrame();
            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.bodyText()).isEqualTo("from mqtt");
        }
        try (Connection amqp = new JmsConnectionFactory(amqpsUri(port, false)).createConnection();
             Connection openWire = openWireFactory(port, false).createConnection()) {
            assertThat(roundTrip(amqp, "tls.detect.amqp", "a")).isEqualTo("a");
            assertThat(roundTrip(openWire, "tls.detect.openwire", "o")).isEqualTo("o");
        }
    }
}
