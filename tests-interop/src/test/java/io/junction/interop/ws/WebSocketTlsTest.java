package io.junction.interop.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.TestTls;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real clients over a {@code transport: wss} listener (WebSocket over TLS) serving MQTT, STOMP and
 * AMQP on one port, each trusting the test certificate: Paho over {@code wss://} with an
 * SSLSocketFactory, Qpid JMS over {@code amqpwss://} with a trust store, and STOMP over the JDK's
 * WebSocket client with an SSLContext. A plain {@code ws://} client is refused by the TLS check
 * and the listener keeps serving.
 */
@Timeout(60)
class WebSocketTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TestTls TLS = TestTls.get();

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker(TLS.listenerYaml("wss", "mqtt, stomp, amqp", "wss", "none"));

    private int wssPort() {
        return broker.port("wss");
    }

    private WsClient stompOverWss(String... subprotocols) {
        HttpClient http = HttpClient.newBuilder().sslContext(TLS.clientContext(false)).build();
        return WsClient.connect(http, URI.create("wss://127.0.0.1:" + wssPort() + "/stomp"), subprotocols);
    }

    @Test
    void pahoPublishesAndSubscribesOverWss() throws Exception {
        MqttClient client = new MqttClient("wss://127.0.0.1:" + wssPort() + "/mqtt", "paho-wss", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setSocketFactory(TLS.clientContext(false).getSocketFactory());
        client.connect(options);
        try {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            client.subscribe("wss/paho", 1, (topic, message) ->
                    received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8)));
            MqttMessage message = new MqttMessage("over wss".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish("wss/paho", message);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("wss/paho=over wss");
        } finally {
            client.disconnect();
            client.close();
        }
    }

    @Test
    void qpidJmsSendsAndReceivesOverAmqpwss() throws Exception {
        String uri = "amqpwss://127.0.0.1:" + wssPort() + "?transport.trustStoreLocation=" + TLS.clientTrustStore()
                + "&transport.trustStorePassword=" + TestTls.PASSWORD + "&transport.trustStoreType=PKCS12";
        try (Connection connection = new JmsConnectionFactory(uri).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("wss.jms"));
            session.createProducer(session.createQueue("wss.jms")).send(session.createTextMessage("hello over amqpwss"));
            TextMessage received = (TextMessage) consumer.receive(10_000);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("hello over amqpwss");
        }
    }

    @Test
    void stompOverWssWithTheJdkClient() throws Exception {
        WsClient stomp = stompOverWss("v12.stomp", "v11.stomp", "v10.stomp");
        assertThat(stomp.socket().getSubprotocol()).isEqualTo("v12.stomp");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n").contains("version:1.2");
        stomp.sendText("SUBSCRIBE\nid:1\ndestination:/queue/wss.stomp\nreceipt:r1\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("RECEIPT\n").contains("receipt-id:r1");
        stomp.sendText("SEND\ndestination:/queue/wss.stomp\n\nhello over wss\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("MESSAGE\n").endsWith("\n\nhello over wss\0");
        stomp.sendText("DISCONNECT\nreceipt:bye\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("RECEIPT\n").contains("receipt-id:bye");
        assertThat(stomp.closeCode(WAIT)).isEqualTo(1000);
    }

    @Test
    void withoutASubprotocolTheDecryptedFirstBytesChooseTheProtocol() throws Exception {
        WsClient stomp = stompOverWss();
        assertThat(stomp.socket().getSubprotocol()).isEmpty();
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n");
    }

    @Test
    void plainWebSocketClientIsRefusedAndTheListenerKeepsServing() throws Exception {
        Throwable failure = catchThrowable(() -> WsClient.connect(wssPort(), "/stomp", "v12.stomp"));
        assertThat(failure).as("a ws:// upgrade on the wss port should fail").isNotNull();
        WsClient stomp = stompOverWss("v12.stomp");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n");
    }
}
