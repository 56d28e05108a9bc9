package io.junction.interop.amqp;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer's link credit, given back in batches of half the configured {@code credit}: with a
 * small credit, a Qpid JMS producer that sends far more messages than that, asynchronously or
 * one at a time, never waits for credit that does not come, and every message arrives in order.
 */
@Timeout(60)
class QpidJmsProducerCreditTest {

    private static final int MESSAGES = 500;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            protocols:
              amqp:
                credit: 4
            """);

    @Test
    void asyncSendsFarBeyondTheCreditAllArrive() throws Exception {
        try (Connection connection = new JmsConnectionFactory(broker.amqpUri() + "?jms.forceAsyncSend=true&jms.sendTimeout=10000")
                .createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("credit.async");
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            CountDownLatch accepted = new CountDownLatch(MESSAGES);
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(session.createTextMessage("m" + i), new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        accepted.countDown();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        failure.compareAndSet(null, exception);
                        accepted.countDown();
                    }
                });
            }
            assertThat(accepted.await(30, TimeUnit.SECONDS)).as("every send answered").isTrue();
            assertThat(failure.get()).isNull();
            assertAllArriveInOrder(session, queue);
        }
    }

    @Test
    void syncSendsFarBeyondTheCreditAllArrive() throws Exception {
        try (Connection connection = new JmsConnectionFactory(broker.amqpUri() + "?jms.sendTimeout=10000")
                .createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("credit.sync");
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
            assertAllArriveInOrder(session, queue);
        }
    }

    private static void assertAllArriveInOrder(Session session, Queue queue) throws Exception {
        MessageConsumer consumer = session.createConsumer(queue);
        for (int i = 0; i < MESSAGES; i++) {
            Message message = consumer.receive(5000);
            assertThat(message).as("message %d", i).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) message).getText()).isEqualTo("m" + i);
        }
        assertThat(consumer.receiveNoWait()).isNull();
    }
}
