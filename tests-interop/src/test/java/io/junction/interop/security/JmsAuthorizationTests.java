package io.junction.interop.security;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ACL checks through a JMS client: every refusal is a {@code JMSSecurityException}, and the
 * connection stays usable after it. Subclasses connect with one protocol's client.
 */
@Timeout(60)
abstract class JmsAuthorizationTests {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withUser("bob", "bob-pw", "readers")
            .withListenerSettings("allowAnonymous: false")
            .withAcls(Acl.ACLS);

    private final List<Connection> connections = new ArrayList<>();

    abstract Connection connect(String user, String password) throws Exception;

    private Session session(String user) throws Exception {
        Connection connection = connect(user, user + "-pw");
        connections.add(connection);
        connection.start();
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeConnections() {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // already closed
            }
        }
    }

    private static void send(Session session, jakarta.jms.Destination destination) throws Exception {
        try (MessageProducer producer = session.createProducer(destination)) {
            producer.send(session.createTextMessage("x"));
        }
    }

    @Test
    void writeOnAnExactQueue() throws Exception {
        Session alice = session("alice");
        send(alice, alice.createQueue("orders"));
        Session bob = session("bob");
        assertThatThrownBy(() -> send(bob, bob.createQueue("orders"))).isInstanceOf(JMSSecurityException.class);
        assertThat(broker.broker().queue("orders").depth()).isEqualTo(1);
        assertThatThrownBy(() -> send(bob, bob.createQueue("private.x,drop.x")))
                .as("a composite needs write on every member").isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void creatingADestinationNeedsAdmin() throws Exception {
        Session bob = session("bob");
        assertThatThrownBy(() -> send(bob, bob.createQueue("drop.new"))).isInstanceOf(JMSSecurityException.class);
        assertThat(broker.broker().queue("drop.new")).isNull();
        Session alice = session("alice");
        send(alice, alice.createQueue("drop.new"));
        send(bob, bob.createQueue("drop.new"));
        assertThat(broker.broker().queue("drop.new").depth()).isEqualTo(2);
    }

    @Test
    void readOnAnExactQueueAndAWildcardTopic() throws Exception {
        Session alice = session("alice");
        send(alice, alice.createQueue("orders"));
        Session bob = session("bob");
        bob.createConsumer(bob.createQueue("orders")).close();
        bob.createConsumer(bob.createTopic("sensors.*.temp")).close();
        assertThatThrownBy(() -> bob.createConsumer(bob.createTopic("sensors.>")))
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> bob.createConsumer(bob.createQueue("private.x")))
                .isInstanceOf(JMSSecurityException.class);
        alice.createConsumer(alice.createTopic("private.>")).close();
    }

    @Test
    void temporaryDestinationsNeedAdminToCreateAndWriteToAnswer() throws Exception {
        Session alice = session("alice");
        jakarta.jms.TemporaryQueue replies = alice.createTemporaryQueue();
        jakarta.jms.MessageConsumer answers = alice.createConsumer(replies);
        Session bob = session("bob");
        assertThatThrownBy(bob::createTemporaryQueue).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(bob::createTemporaryTopic).isInstanceOf(JMSSecurityException.class);
        send(bob, replies);
        assertThat(answers.receive(5000)).as("bob's answer on alice's temporary queue").isNotNull();
        Session aliceElsewhere = session("alice");
        assertThatThrownBy(() -> send(aliceElsewhere, replies))
                .as("only the creating connection and 'write' on temporary destinations may send to one")
                .isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void withdrawingReadClosesAConsumerThatIsOpen() throws Exception {
        Session bob = session("bob");
        jakarta.jms.MessageConsumer consumer = bob.createConsumer(bob.createTopic("sensors.a.temp"));
        Session alice = session("alice");
        send(alice, alice.createTopic("sensors.a.temp"));
        assertThat(consumer.receive(5000)).isNotNull();
        broker.rewriteAcls(Acl.ACLS_BOB_CANNOT_READ_SENSORS);
        send(alice, alice.createTopic("sensors.a.temp"));
        assertThat(receiveUnlessClosed(consumer)).as("nothing after the permission went").isNull();
        assertThatThrownBy(() -> bob.createConsumer(bob.createTopic("sensors.a.temp")))
                .isInstanceOf(JMSSecurityException.class);
    }

    /** A message, or null when none came within a second or the broker closed the consumer. */
    private static jakarta.jms.Message receiveUnlessClosed(jakarta.jms.MessageConsumer consumer) {
        try {
            return consumer.receive(1000);
        } catch (jakarta.jms.JMSException closed) {
            return null;
        }
    }

    @Test
    void aReloadedAclAppliesToAConnectedClient() throws Exception {
        Session alice = session("alice");
        send(alice, alice.createQueue("orders"));
        Session bob = session("bob");
        assertThatThrownBy(() -> send(bob, bob.createQueue("orders"))).isInstanceOf(JMSSecurityException.class);
        broker.rewriteAcls(Acl.ACLS_BOB_WRITES_ORDERS);
        send(bob, bob.createQueue("orders"));
        broker.rewriteAcls(Acl.ACLS);
        assertThatThrownBy(() -> send(bob, bob.createQueue("orders"))).isInstanceOf(JMSSecurityException.class);
        assertThat(broker.broker().queue("orders").depth()).isEqualTo(2);
    }
}
