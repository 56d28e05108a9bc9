package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Transacted sessions, selectors and temporary queues through the ActiveMQ 6.x client. */
@Timeout(60)
class ActiveMqClientSessionsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        return OpenWireClients.connect(broker);
    }

    @Test
    void transactedSendsAppearOnCommitOnly() throws Exception {
        try (Connection connection = connect()) {
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = tx.createQueue("ow.tx");
            MessageProducer producer = tx.createProducer(queue);
            producer.send(tx.createTextMessage("dropped"));
            tx.rollback();
            producer.send(tx.createTextMessage("kept"));
            MessageConsumer watcher = plain.createConsumer(queue);
            assertThat(watcher.receive(300)).isNull();
            tx.commit();
            assertThat(((TextMessage) watcher.receive(5000)).getText()).isEqualTo("kept");
            assertThat(watcher.receive(300)).isNull();
        }
    }

    @Test
    void transactedReceiveIsRemovedOnCommit() throws Exception {
        try (Connection connection = connect()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = plain.createQueue("ow.txack");
            plain.createProducer(queue).send(plain.createTextMessage("job"));
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("job");
            tx.commit();
            consumer.close();
        }
        assertThat(broker.broker().queue("ow.txack").depth()).isZero();
    }

    @Test
    void selectorAndRequestReplyOverATemporaryQueue() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue requests = session.createQueue("ow.requests");
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer replyConsumer = session.createConsumer(replies);
            MessageProducer producer = session.createProducer(requests);
            TextMessage ignored = session.createTextMessage("ignored");
            ignored.setStringProperty("kind", "other");
            producer.send(ignored);
            TextMessage request = session.createTextMessage("ping");
            request.setStringProperty("kind", "ping");
            request.setJMSReplyTo(replies);
            producer.send(request);

            Message received = session.createConsumer(requests, "kind = 'ping'").receive(5000);
            assertThat(((TextMessage) received).getText()).isEqualTo("ping");
            session.createProducer(received.getJMSReplyTo()).send(session.createTextMessage("pong"));
            assertThat(((TextMessage) replyConsumer.receive(5000)).getText()).isEqualTo("pong");
        }
    }
}
