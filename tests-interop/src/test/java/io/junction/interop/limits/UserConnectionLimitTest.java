package io.junction.interop.limits;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code security.maxConnectionsPerUser} (2 here) and a user's own {@code maxConnections} in
 * users.yaml: the connection past the limit is refused with each protocol's own answer, over
 * every protocol and listener together, while other users still connect.
 */
@Timeout(60)
class UserConnectionLimitTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            security:
              maxConnectionsPerUser: 2
            """)
            .withUser("alice", "alice-pw", "apps")
            .withUser("bob", "bob-pw", "apps")
            .withUser("solo", "solo-pw", 1, "apps");

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        // Last opened first: a Paho client is disconnected before it is closed.
        java.util.Collections.reverse(open);
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception alreadyClosed) {
                // refused or closed by the test
            }
        }
    }

    private RawStompClient stomp(String user, String password) throws Exception {
        RawStompClient client = RawStompClient.open(broker.stompPort());
        open.add(client);
        RawFrame answer = client.connect("1.2", "login:" + user, "passcode:" + password);
        assertThat(answer.command()).isEqualTo("CONNECTED");
        return client;
    }

    private Connection amqp(String user, String password) throws JMSException {
        Connection connection = new JmsConnectionFactory(user, password, broker.amqpUri()).createConnection();
        open.add(connection::close);
        connection.start();
        return connection;
    }

    private Connection openWire(String user, String password) throws JMSException {
        Connection connection = new ActiveMQConnectionFactory(user, password, broker.openWireUri()).createConnection();
        open.add(connection::close);
        connection.start();
        return connection;
    }

    private MqttClient mqtt5(String clientId, String user, String password) throws MqttException {
        MqttClient client = new MqttClient(broker.mqttUri(), clientId, new MemoryPersistence());
        open.add(client::close);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        client.connect(options);
        open.add(client::disconnect);
        return client;
    }

    @Test
    void mqtt5TheThirdConnectionOfAUserGetsQuotaExceeded() throws Exception {
        stomp("alice", "alice-pw");
        amqp("alice", "alice-pw");

        MqttException refused = catchThrowableOfType(MqttException.class, () -> mqtt5("alice-3", "alice", "alice-pw"));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.getReasonCode()).isEqualTo(0x97);
        assertThat(mqtt5("bob-1", "bob", "bob-pw").isConnected()).as("another user").isTrue();
    }

    @Test
    void mqtt311TheThirdConnectionOfAUserGetsServerUnavailable() throws Exception {
        openWire("alice", "alice-pw");
        openWire("alice", "alice-pw");

        org.eclipse.paho.client.mqttv3.MqttClient client = new org.eclipse.paho.client.mqttv3.MqttClient(
                broker.mqttUri(), "alice-311", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        open.add(client::close);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName("alice");
        options.setPassword("alice-pw".toCharArray());
        org.eclipse.paho.client.mqttv3.MqttException refused = catchThrowableOfType(
                org.eclipse.paho.client.mqttv3.MqttException.class, () -> client.connect(options));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.getReasonCode()).isEqualTo(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_BROKER_UNAVAILABLE);
    }

    @Test
    void stompTheThirdConnectionOfAUserGetsAnErrorFrame() throws Exception {
        mqtt5("alice-1", "alice", "alice-pw");
        stomp("alice", "alice-pw");

        try (RawStompClient third = RawStompClient.open(broker.stompPort())) {
            third.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:alice",
                    "passcode:alice-pw"));
            RawFrame error = third.expectErrorAndClose();
            assertThat(error.header("message")).isEqualTo("user 'alice' has 2 connections open, as many as it may");
        }
        stomp("bob", "bob-pw");
    }

    @Test
    void amqpTheThirdConnectionOfAUserIsRefusedOnOpen() throws Exception {
        amqp("alice", "alice-pw");
        amqp("alice", "alice-pw");

        JMSException refused = catchThrowableOfType(JMSException.class, () -> amqp("alice", "alice-pw"));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused).hasMessageContaining("user 'alice' has 2 connections open");
        amqp("bob", "bob-pw");
    }

    @Test
    void openWireTheThirdConnectionOfAUserGetsAnException() throws Exception {
        amqp("alice", "alice-pw");
        openWire("alice", "alice-pw");

        JMSException refused = catchThrowableOfType(JMSException.class, () -> openWire("alice", "alice-pw"));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused).isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                .hasMessageContaining("user 'alice' has 2 connections open");
        openWire("bob", "bob-pw");
    }

    @Test
    void aUsersOwnLimitWinsAndAClosedConnectionMakesRoomAgain() throws Exception {
        RawStompClient first = stomp("solo", "solo-pw");

        JMSException refused = catchThrowableOfType(JMSException.class, () -> amqp("solo", "solo-pw"));
        assertThat(refused).as("refused").isNotNull().hasMessageContaining("user 'solo' has 1 connection open");

        first.close();
        awaitConnectionCount(0);
        assertThat(amqp("solo", "solo-pw")).isNotNull();
    }

    private void awaitConnectionCount(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (broker.broker().connectionCount() != count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(broker.broker().connectionCount()).isEqualTo(count);
    }
}
