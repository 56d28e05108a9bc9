package io.junction.interop.security;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Qpid JMS over AMQP 1.0: SASL ANONYMOUS and PLAIN decided by the broker's users. */
@Timeout(60)
class AmqpAuthenticationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("allowAnonymous: false");

    @Test
    void withoutCredentialsIsRefused() {
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUri());
        assertThatThrownBy(() -> factory.createConnection().close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void wrongPasswordIsRefused() {
        JmsConnectionFactory factory = new JmsConnectionFactory("alice", "wrong", broker.amqpUri());
        assertThatThrownBy(() -> factory.createConnection().close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void rightPasswordConnectsAndSends() throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory("alice", "alice-pw", broker.amqpUri());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("auth.amqp"));
            producer.send(session.createTextMessage("hi"));
        }
        assertThat(broker.broker().queue("auth.amqp").depth()).isEqualTo(1);
    }
}
