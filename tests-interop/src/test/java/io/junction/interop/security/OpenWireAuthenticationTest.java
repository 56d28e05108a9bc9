package io.junction.interop.security;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ActiveMQ client: ConnectionInfo answered with a JMSSecurityException when refused. */
@Timeout(60)
class OpenWireAuthenticationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withListenerSettings("allowAnonymous: false");

    private void refused(ActiveMQConnectionFactory factory) throws Exception {
        Connection connection = factory.createConnection();
        try {
            assertThatThrownBy(connection::start).isInstanceOf(JMSSecurityException.class);
        } finally {
            try {
                connection.close();
            } catch (Exception closedByTheBroker) {
                // the broker closed the socket after its refusal
            }
        }
    }

    @Test
    void withoutCredentialsIsRefused() throws Exception {
        refused(new ActiveMQConnectionFactory(broker.openWireUri()));
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        refused(new ActiveMQConnectionFactory("alice", "wrong", broker.openWireUri()));
    }

    @Test
    void rightPasswordConnectsAndSends() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("alice", "alice-pw", broker.openWireUri());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("auth.openwire"));
            producer.send(session.createTextMessage("hi"));
        }
        assertThat(broker.broker().queue("auth.openwire").depth()).isEqualTo(1);
    }
}
