package io.junction.interop.security;

import io.junction.interop.support.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT with Paho 3 and 5: a subscription an ACL refuses gets SUBACK 0x80 (3.1.1) or 0x87 (5), a
 * refused QoS 1 publish PUBACK 0x87 (5), a refused QoS 0 publish is dropped and counted.
 */
@Timeout(60)
class MqttAuthorizationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withUser("bob", "bob-pw", "readers")
            .withListenerSettings("allowAnonymous: false")
            .withAcls(Acl.ACLS);

    private MqttAsyncClient v5(String user) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker.mqttUri(), user + "-v5",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setUserName(user);
        options.setPassword((user + "-pw").getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private MqttClient v3(String user) throws Exception {
        MqttClient client = new MqttClient(broker.mqttUri(), user + "-v3", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName(user);
        options.setPassword((user + "-pw").toCharArray());
        client.connect(options);
        return client;
    }

    private static int subscribe5(MqttAsyncClient client, String filter) throws Exception {
        var token = client.subscribe(new MqttSubscription(filter, 1));
        try {
            token.waitForCompletion(10_000);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            return e.getReasonCode();
        }
        return token.getReasonCodes()[0];
    }

    private static int publish5(MqttAsyncClient client, String topic, int qos) throws Exception {
        MqttMessage message = new MqttMessage("x".getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        var token = client.publish(topic, message);
        try {
            token.waitForCompletion(10_000);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    private static int subscribe3(MqttClient client, String filter) throws Exception {
        try {
            IMqttToken token = client.subscribeWithResponse(filter, 1);
            return token.getGrantedQos()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void mqtt5SubscriptionsOnAnExactTopicAndAWildcard() throws Exception {
        MqttAsyncClient bob = v5("bob");
        assertThat(subscribe5(bob, "sensors/a/temp")).isEqualTo(1);
        assertThat(subscribe5(bob, "sensors/+/temp")).isEqualTo(1);
        assertThat(subscribe5(bob, "sensors/#")).isEqualTo(0x87);
        assertThat(subscribe5(bob, "private/x")).isEqualTo(0x87);
        assertThat(bob.isConnected()).isTrue();
        bob.disconnect().waitForCompletion(5000);
        bob.close();

        MqttAsyncClient alice = v5("alice");
        assertThat(subscribe5(alice, "private/#")).isEqualTo(1);
        alice.disconnect().waitForCompletion(5000);
        alice.close();
    }

    @Test
    void mqtt5PublishesAreRefusedWithPubackAndPubrec0x87AndQos0IsDroppedAndCounted() throws Exception {
        MqttAsyncClient alice = v5("alice");
        assertThat(publish5(alice, "sensors/a/temp", 1)).isEqualTo(0);
        MqttAsyncClient bob = v5("bob");
        assertThat(publish5(bob, "sensors/a/temp", 1)).isEqualTo(0x87);
        long refusedBefore = broker.broker().authorizationRefusals();
        assertThat(publish5(bob, "private/x", 0)).isEqualTo(0);
        long deadline = System.currentTimeMillis() + 5000;
        while (broker.broker().authorizationRefusals() == refusedBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(broker.broker().authorizationRefusals()).isEqualTo(refusedBefore + 1);
        assertThat(bob.isConnected()).isTrue();
        // Paho halts the QoS 2 flow on the refusal [MQTT-4.3.3-4]: last.
        assertThat(publish5(bob, "sensors/a/temp", 2)).isEqualTo(0x87);
        bob.disconnectForcibly(0, 1000, false);
        bob.close();
        alice.disconnect().waitForCompletion(5000);
        alice.close();
    }

    @Test
    void mqtt311RefusedSubscriptionsGetSuback0x80() throws Exception {
        MqttClient bob = v3("bob");
        assertThat(subscribe3(bob, "sensors/+/temp")).isEqualTo(1);
        assertThat(subscribe3(bob, "private/#")).isEqualTo(0x80);
        assertThat(subscribe3(bob, "sensors/#")).isEqualTo(0x80);
        assertThat(bob.isConnected()).isTrue();
        bob.disconnect();
        bob.close();
    }

    @Test
    void mqtt311HasNoNegativePubackSoARefusedQos1PublishClosesTheConnection() throws Exception {
        MqttClient bob = v3("bob");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> bob.publish("private/x", "x".getBytes(StandardCharsets.UTF_8), 1, false))
                .isInstanceOf(MqttException.class);
        long deadline = System.currentTimeMillis() + 5000;
        while (bob.isConnected() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(bob.isConnected()).isFalse();
        bob.close();
    }

    @Test
    void withdrawingReadEndsASubscriptionThatIsOpen() throws Exception {
        MqttClient bob = v3("bob");
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        bob.subscribe("sensors/+/temp", 1, (topic, message) -> received.add(new String(message.getPayload(),
                StandardCharsets.UTF_8)));
        MqttClient alice = v3("alice");
        alice.publish("sensors/a/temp", "before".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(received.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("before");
        broker.rewriteAcls(Acl.ACLS_BOB_CANNOT_READ_SENSORS);
        alice.publish("sensors/a/temp", "after".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(received.poll(1, java.util.concurrent.TimeUnit.SECONDS)).as("nothing after the permission went")
                .isNull();
        assertThat(bob.isConnected()).as("the connection stays, as with Mosquitto").isTrue();
        assertThat(subscribe3(bob, "sensors/+/temp")).isEqualTo(0x80);
        alice.disconnect();
        alice.close();
        bob.disconnect();
        bob.close();
    }

    @Test
    void aReloadedAclAppliesToAConnectedClient() throws Exception {
        MqttAsyncClient bob = v5("bob");
        assertThat(subscribe5(bob, "private/#")).isEqualTo(0x87);
        broker.rewriteAcls(Acl.ACLS.replace("read: [user:alice]", "read: [user:alice, user:bob]"));
        assertThat(subscribe5(bob, "private/#")).isEqualTo(1);
        broker.rewriteAcls(Acl.ACLS);
        assertThat(subscribe5(bob, "private/+")).isEqualTo(0x87);
        assertThat(bob.isConnected()).isTrue();
        bob.disconnect().waitForCompletion(5000);
        bob.close();
    }
}
