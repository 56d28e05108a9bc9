package io.junction.interop.security;

import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners on a loopback address that do not say allowAnonymous accept clients without
 * credentials, with every protocol, even when users exist (so that bin/junction run works at once).
 */
@Timeout(60)
class AnonymousDefaultsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker().withUser("alice", "alice-pw");

    @Test
    void everyProtocolConnectsAnonymouslyOverLoopback() throws Exception {
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            assertThat(stomp).isNotNull();
        }
        MqttClient mqtt = new MqttClient(broker.mqttUri(), "anonymous", new MemoryPersistence());
        mqtt.connect();
        mqtt.disconnect();
        mqtt.close();
        try (Connection amqp = new JmsConnectionFactory(broker.amqpUri()).createConnection()) {
            amqp.start();
        }
        try (Connection openWire = new ActiveMQConnectionFactory(broker.openWireUri()).createConnection()) {
            openWire.start();
        }
        assertThat(broker.server().authenticator().allowsAnonymous("stomp")).isTrue();
    }
}
