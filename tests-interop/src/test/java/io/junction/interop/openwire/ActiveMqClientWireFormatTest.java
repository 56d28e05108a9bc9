package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire formats a client may ask for: older OpenWire versions, loose encoding, no marshalling
 * cache, no size prefix (the broker keeps its own, as ActiveMQ does), and the transports whose
 * URLs applications carry ({@code tcp://}, {@code nio://}, {@code failover:}).
 */
@Timeout(60)
class ActiveMqClientWireFormatTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private void roundTrip(String url, String queueName) throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(url).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queueName));
            MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
            for (int i = 0; i < 3; i++) {
                // The same property names and destination again: what a marshalling cache reuses.
                TextMessage text = session.createTextMessage("text " + i);
                text.setStringProperty("colour", "blue");
                text.setLongProperty("n", i);
                producer.send(text);
                MapMessage map = session.createMapMessage();
                map.setString("key", "value " + i);
                map.setDouble("pi", 3.14);
                producer.send(map);
            }
            for (int i = 0; i < 3; i++) {
                TextMessage text = (TextMessage) consumer.receive(5000);
                assertThat(text.getText()).isEqualTo("text " + i);
                assertThat(text.getStringProperty("colour")).isEqualTo("blue");
                assertThat(text.getLongProperty("n")).isEqualTo(i);
                MapMessage map = (MapMessage) consumer.receive(5000);
                assertThat(map.getString("key")).isEqualTo("value " + i);
                assertThat(map.getDouble("pi")).isEqualTo(3.14);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "wireFormat.version=9",
        "wireFormat.version=10",
        "wireFormat.version=11",
        "wireFormat.tightEncodingEnabled=false",
        "wireFormat.cacheEnabled=false",
        "wireFormat.sizePrefixDisabled=true",
        "wireFormat.tightEncodingEnabled=false&wireFormat.cacheEnabled=false&wireFormat.version=10"})
    void everyWireFormatTheClientMayAskForWorks(String options) throws Exception {
        roundTrip(broker.openWireUri() + "?" + options, "ow.format");
    }

    @Test
    void nioAndFailoverUrlsConnect() throws Exception {
        roundTrip("nio://127.0.0.1:" + broker.openWirePort(), "ow.nio");
        roundTrip("failover:(" + broker.openWireUri() + ")?maxReconnectAttempts=0", "ow.failover");
    }

    @Test
    void theClientLearnsTheBrokersName() throws Exception {
        try (ActiveMQConnection connection = (ActiveMQConnection) new ActiveMQConnectionFactory(broker.openWireUri())
                .createConnection()) {
            connection.start();
            assertThat(connection.getBrokerName()).isEqualTo("junction");
        }
    }
}
