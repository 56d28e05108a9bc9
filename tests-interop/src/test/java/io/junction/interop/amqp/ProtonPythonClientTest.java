package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second, non-JMS AMQP 1.0 client: python-qpid-proton 0.37 (Debian's {@code python3-qpid-proton},
 * run by {@code /usr/bin/python3} through {@code src/test/python/amqp_driver.py}). Its links carry
 * no {@code queue}/{@code topic} capability, so a bare address takes the broker's default (a
 * queue, design section 2) and {@code topic://} names a topic. Deliveries are received pre-settled
 * (at-most-once: the receiver asks for sender-settle-mode settled) and unsettled (at-least-once,
 * accepted by the client), and sent both ways too.
 */
@Timeout(90)
class ProtonPythonClientTest {

    private static final String UNSETTLED = "at-least-once";
    private static final String PRESETTLED = "at-most-once";

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void bareAddressIsAQueueReadUnsettledThenPreSettled() {
        try (ProtonPy client = ProtonPy.start(broker.amqpPort())) {
            assertThat(client.sender("s1", "py.orders", UNSETTLED)).isEqualTo("py.orders");
            assertThat(client.send("s1", "first", Map.of("region", "eu"), Map.of("count", 3)))
                    .as("outcome of an unsettled send").isEqualTo("ACCEPTED");
            assertThat(client.send("s1", "second", Map.of("region", "us"), Map.of("count", 4))).isEqualTo("ACCEPTED");

            assertThat(broker.broker().queue("py.orders")).as("the queue a bare address names").isNotNull();
            assertThat(broker.broker().queue("py.orders").depth()).isEqualTo(2);
            assertThat(broker.broker().topics()).doesNotContain("py.orders");

            assertThat(client.receiver("r1", "py.orders", UNSETTLED)).isEqualTo("py.orders");
            Map<String, Object> first = client.receive("r1");
            assertThat(first.get("presettled")).as("delivery on an at-least-once link").isEqualTo(false);
            assertMessage(first, "first", "eu", 3);
            client.ok(ProtonPy.command("close_link", "link", "r1"));

            assertThat(client.receiver("r2", "py.orders", PRESETTLED)).isEqualTo("py.orders");
            Map<String, Object> second = client.receive("r2");
            assertThat(second.get("presettled")).as("delivery on an at-most-once link").isEqualTo(true);
            assertMessage(second, "second", "us", 4);

            Map<String, Object> nothing = client.tryReceive("r2", 1);
            assertThat(nothing.get("event")).as("a third receive on a drained queue: %s", nothing).isEqualTo("failed");
            client.closeConnection();
        }
        assertThat(broker.broker().queue("py.orders").depth()).as("depth once both were settled").isZero();
    }

    @Test
    void preSettledSendToAQueueIsDelivered() {
        try (ProtonPy client = ProtonPy.start(broker.amqpPort())) {
            client.sender("s1", "py.fire-and-forget", PRESETTLED);
            assertThat(client.send("s1", "no outcome", Map.of("kind", "presettled"), Map.of("n", 7)))
                    .as("a pre-settled transfer has no outcome").isNull();
            client.receiver("r1", "py.fire-and-forget", UNSETTLED);
            Map<String, Object> received = client.receive("r1");
            assertMessage(received, "no outcome", null, 7);
            assertThat(properties(received)).containsEntry("kind", "presettled");
            client.closeConnection();
        }
    }

    @Test
    void topicAddressFansOutToPreSettledAndUnsettledReceiversAndToJms() throws Exception {
        try (ProtonPy client = ProtonPy.start(broker.amqpPort());
             Connection jms = new JmsConnectionFactory(broker.amqpUri()).createConnection()) {
            jms.start();
            Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer jmsSubscriber = session.createConsumer(session.createTopic("py.prices.eur"));

            assertThat(client.receiver("fast", "topic://py.prices.eur", PRESETTLED)).isEqualTo("topic://py.prices.eur");
            assertThat(client.receiver("safe", "topic://py.prices.eur", UNSETTLED)).isEqualTo("topic://py.prices.eur");
            client.sender("pub", "topic://py.prices.eur", UNSETTLED);
            assertThat(client.send("pub", "1.08", Map.of("currency", "EUR"), Map.of("seq", 1))).isEqualTo("ACCEPTED");

            Map<String, Object> fast = client.receive("fast");
            assertThat(fast.get("presettled")).isEqualTo(true);
            assertMessage(fast, "1.08", null, 1);
            assertThat(properties(fast)).containsEntry("currency", "EUR");
            Map<String, Object> safe = client.receive("safe");
            assertThat(safe.get("presettled")).isEqualTo(false);
            assertMessage(safe, "1.08", null, 1);

            TextMessage viaJms = (TextMessage) jmsSubscriber.receive(5000);
            assertThat(viaJms).as("JMS subscriber of topic py.prices.eur").isNotNull();
            assertThat(viaJms.getText()).isEqualTo("1.08");
            assertThat(viaJms.getStringProperty("currency")).isEqualTo("EUR");
            assertThat(viaJms.getIntProperty("seq")).isEqualTo(1);

            assertThat(broker.broker().queue("py.prices.eur")).as("no queue made for a topic:// address").isNull();
            assertThat(broker.broker().queue("topic://py.prices.eur")).isNull();
            client.closeConnection();
        }
    }

    private static void assertMessage(Map<String, Object> outcome, String body, String region, int count) {
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) outcome.get("message");
        assertThat(message.get("body")).as("body of %s", message).isEqualTo(body);
        assertThat(message.get("body_type")).as("body type of %s (AmqpValue string)", message).isEqualTo("str");
        Map<String, Object> properties = properties(outcome);
        @SuppressWarnings("unchecked")
        Map<String, Object> types = (Map<String, Object>) message.get("property_types");
        if (region != null) {
            assertThat(properties).as("application-properties").containsEntry("region", region);
        }
        String intName = properties.containsKey("count") ? "count" : properties.containsKey("n") ? "n" : "seq";
        assertThat(properties).as("application-properties").containsEntry(intName, (long) count);
        assertThat(types).as("application-property types").containsEntry(intName, "int32");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> outcome) {
        return (Map<String, Object>) ((Map<String, Object>) outcome.get("message")).get("properties");
    }
}
