package io.junction.interop.limits;

import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A listener's {@code maxConnections} (2 here): the third socket is closed as soon as it is
 * accepted, before it sends anything, and once one of the two closes a new one is accepted again.
 */
@Timeout(60)
class ListenerConnectionLimitTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker().withListenerSettings("maxConnections: 2");

    @Test
    void theThirdStompSocketIsClosedAtOnceAndOneIsAcceptedAgainAfterAClose() throws Exception {
        RawStompClient first = RawStompClient.connected(broker.stompPort(), "1.2");
        try (RawStompClient second = RawStompClient.connected(broker.stompPort(), "1.2");
             Socket third = new Socket("127.0.0.1", broker.stompPort())) {
            assertClosedWithoutAByte(third);
            assertThat(broker.server().refusedConnections("stomp")).isEqualTo(1);

            first.close();
            try (RawStompClient again = awaitAccepted()) {
                assertThat(again).as("accepted again").isNotNull();
            }
            second.write(RawStompClient.frame("DISCONNECT", "receipt:bye"));
            assertThat(second.readFrame().command()).as("the other connection is still served").isEqualTo("RECEIPT");
        }
    }

    @Test
    void mqttClientsPastTheLimitCannotConnectWhileAnotherListenerStillAccepts() throws Exception {
        MqttClient one = connectMqtt("one");
        MqttClient two = connectMqtt("two");
        MqttException refused = catchThrowableOfType(MqttException.class, () -> connectMqtt("three"));
        assertThat(refused).as("refused").isNotNull();
        assertThat(broker.server().refusedConnections("mqtt")).isGreaterThanOrEqualTo(1);
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            assertThat(stomp).as("each listener counts its own connections").isNotNull();
        }
        one.disconnect();
        one.close();
        MqttClient again = awaitMqtt("three");
        assertThat(again.isConnected()).isTrue();
        for (MqttClient client : new MqttClient[] {two, again}) {
            client.disconnect();
            client.close();
        }
    }

    private MqttClient connectMqtt(String clientId) throws MqttException {
        MqttClient client = new MqttClient(broker.mqttUri(), clientId, new MemoryPersistence());
        try {
            client.connect();
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** The broker counts the closed connection off when its channel has closed: that may take a moment. */
    private MqttClient awaitMqtt(String clientId) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                return connectMqtt(clientId);
            } catch (MqttException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** A connected client, once the broker has counted the closed one off (its channel closes a moment later). */
    private RawStompClient awaitAccepted() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            RawStompClient client = RawStompClient.open(broker.stompPort());
            try {
                client.connect("1.2");
                return client;
            } catch (java.io.IOException closedAtOnce) {
                client.close();
                if (System.currentTimeMillis() > deadline) {
                    throw closedAtOnce;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void assertClosedWithoutAByte(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        int read;
        try {
            read = in.read();
        } catch (SocketException reset) {
            read = -1;
        }
        assertThat(read).as("end of stream, nothing sent").isEqualTo(-1);
    }
}
