package io.junction.interop.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real clients over a {@code transport: ws} listener that serves MQTT, STOMP and AMQP on one port:
 * Paho over {@code ws://}, Qpid JMS over {@code amqpws://}, and STOMP over the JDK's WebSocket
 * client with subprotocol {@code v12.stomp}, as browser STOMP clients offer it.
 */
@Timeout(60)
class WebSocketClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final EmbeddedBroker broker = WsBrokers.create();

    private int wsPort() {
        return broker.port(WsBrokers.ALL);
    }

    @Test
    void pahoPublishesAndSubscribesOverWebSocket() throws Exception {
        MqttClient client = new MqttClient("ws://127.0.0.1:" + wsPort(), "paho-ws", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        try {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            client.subscribe("ws/paho", 1, (topic, message) ->
                    received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8)));
            MqttMessage message = new MqttMessage("over websocket".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish("ws/paho", message);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("ws/paho=over websocket");
        } finally {
            client.disconnect();
            client.close();
        }
    }

    @Test
    void qpidJmsSendsAndReceivesOverAmqpws() throws Exception {
        try (Connection connection = new JmsConnectionFactory("amqpws://127.0.0.1:" + wsPort()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ws.jms");
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("hello over amqpws"));
            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(10_000);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("hello over amqpws");
        }
        assertThat(broker.broker().queue("ws.jms").depth()).isZero();
    }

    @Test
    void stompOverWebSocketWithSubprotocolV12() throws Exception {
        WsClient stomp = WsClient.connect(wsPort(), "/stomp", "v12.stomp", "v11.stomp", "v10.stomp");
        assertThat(stomp.socket().getSubprotocol()).isEqualTo("v12.stomp");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n").contains("version:1.2");
        stomp.sendText("SUBSCRIBE\nid:1\ndestination:/queue/ws.stomp\n\n\0");
        stomp.sendText("SEND\ndestination:/queue/ws.stomp\nreceipt:r1\n\nhello over ws\0");
        // The RECEIPT and the MESSAGE may come in either order.
        String first = stomp.readUntil("\0", WAIT);
        String second = stomp.readUntil("\0", WAIT);
        String receipt = first.startsWith("RECEIPT") ? first : second;
        String message = first.startsWith("RECEIPT") ? second : first;
        assertThat(receipt).startsWith("RECEIPT\n").contains("receipt-id:r1");
        assertThat(message).startsWith("MESSAGE\n").contains("destination:/queue/ws.stomp")
                .endsWith("\n\nhello over ws\0");
        stomp.sendText("DISCONNECT\nreceipt:bye\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("RECEIPT\n").contains("receipt-id:bye");
        assertThat(stomp.closeCode(WAIT)).isEqualTo(1000);
    }

    @Test
    void fragmentedAndBinaryFramesMakeOneByteStream() throws Exception {
        WsClient stomp = WsClient.connect(wsPort(), "/", "v12.stomp");
        // One STOMP frame in a text frame and continuation frames of 4 characters each.
        stomp.sendTextFragments("CONNECT\naccept-version:1.2\nhost:/\n\n\0", 4);
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n");
        // Two STOMP frames split across binary frames at arbitrary points.
        byte[] frames = ("SUBSCRIBE\nid:1\ndestination:/queue/ws.split\n\n\0"
                + "SEND\ndestination:/queue/ws.split\n\nsplit body\0").getBytes(StandardCharsets.UTF_8);
        int cut = 20;
        stomp.sendBinary(java.util.Arrays.copyOfRange(frames, 0, cut));
        stomp.sendBinary(java.util.Arrays.copyOfRange(frames, cut, frames.length));
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("MESSAGE\n").endsWith("\n\nsplit body\0");
    }

    @Test
    void withoutASubprotocolTheFirstBytesChooseTheProtocol() throws Exception {
        WsClient stomp = WsClient.connect(wsPort(), "/");
        assertThat(stomp.socket().getSubprotocol()).isEmpty();
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n");
    }

    @Test
    void aListenerServingOneProtocolServesItWithoutASubprotocol() throws Exception {
        WsClient stomp = WsClient.connect(broker.port(WsBrokers.SMALL_STOMP), "/any/path");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("CONNECTED\n");
    }

    @Test
    void mqttOverWebSocketReachesStompOverWebSocket() throws Exception {
        WsClient stomp = WsClient.connect(wsPort(), "/", "v12.stomp");
        stomp.sendText("CONNECT\naccept-version:1.2\nhost:/\n\n\0");
        stomp.readUntil("\0", WAIT);
        stomp.sendText("SUBSCRIBE\nid:1\ndestination:/topic/ws.cross\nreceipt:sub\n\n\0");
        assertThat(stomp.readUntil("\0", WAIT)).contains("receipt-id:sub");

        MqttClient paho = new MqttClient("ws://127.0.0.1:" + wsPort() + "/mqtt", "paho-cross", new MemoryPersistence());
        paho.connect();
        try {
            paho.publish("ws/cross", "from mqtt".getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            paho.disconnect();
            paho.close();
        }
        assertThat(stomp.readUntil("\0", WAIT)).startsWith("MESSAGE\n").endsWith("from mqtt\0");
    }
}
