package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Transacted sessions through Qpid JMS: the AMQP transaction coordinator. */
@Timeout(60)
class QpidJmsTransactionTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void sendsAppearOnCommitAndRolledBackReceivesComeBack() throws Exception {
        try (Connection connection = new JmsConnectionFactory(broker.amqpUri()).createConnection()) {
            connection.start();
            Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = tx.createQueue("tx.orders");
            MessageProducer producer = tx.createProducer(queue);
            producer.send(tx.createTextMessage("one"));
            producer.send(tx.createTextMessage("two"));
            MessageConsumer watcher = plain.createConsumer(queue);
            assertThat(watcher.receive(300)).as("nothing before commit").isNull();
            watcher.close();
            tx.commit();

            MessageConsumer consumer = tx.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("one");
            tx.rollback();
            TextMessage again = (TextMessage) consumer.receive(5000);
            assertThat(again.getText()).isEqualTo("one");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("two");
            tx.commit();
            consumer.close();
        }
        assertThat(broker.broker().queue("tx.orders").depth()).isZero();
    }
}
