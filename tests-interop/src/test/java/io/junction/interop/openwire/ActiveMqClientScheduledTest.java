package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ScheduledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ActiveMQ's delay and schedule properties ({@link ScheduledMessage}) sent by the ActiveMQ 6.x
 * client. Timing is checked one way only: nothing before the delay (less a margin), then the
 * message within a generous wait.
 */
@Timeout(60)
class ActiveMqClientScheduledTest {

    private static final long MARGIN_MILLIS = 100;
    private static final long WAIT_MILLIS = 5000;

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        Connection connection = new ActiveMQConnectionFactory(broker.openWireUri() + "?jms.watchTopicAdvisories=false")
                .createConnection();
        connection.start();
        return connection;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Receives nothing until {@code millis} (less the margin) after {@code since}, then one message. */
    private static Message receiveAfter(MessageConsumer consumer, long since, long millis) throws JMSException {
        long early = millis - MARGIN_MILLIS - millisSince(since);
        if (early > 0) {
            assertThat(consumer.receive(early)).as("a message before its delay").isNull();
        }
        Message message = consumer.receive(WAIT_MILLIS);
        assertThat(message).as("the scheduled message").isNotNull();
        assertThat(millisSince(since)).isGreaterThanOrEqualTo(millis - MARGIN_MILLIS);
        return message;
    }

    @Test
    void delayedMessageArrivesAfterItsDelay() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.delayed"));
            TextMessage message = session.createTextMessage("later");
            message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, 1000);
            long sent = System.nanoTime();
            session.createProducer(session.createQueue("ow.delayed")).send(message);

            Message received = receiveAfter(consumer, sent, 1000);

            assertThat(((TextMessage) received).getText()).isEqualTo("later");
            assertThat(received.propertyExists(ScheduledMessage.AMQ_SCHEDULED_DELAY)).isFalse();
            assertThat(received.getStringProperty(ScheduledMessage.AMQ_SCHEDULED_ID)).isNotBlank();
        }
    }

    @Test
    void repeatWithPeriodDeliversRepeatPlusOneMessages() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.ticks"));
            TextMessage message = session.createTextMessage("tick");
            message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, 300);
            message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_PERIOD, 300);
            message.setIntProperty(ScheduledMessage.AMQ_SCHEDULED_REPEAT, 2);
            long sent = System.nanoTime();
            session.createProducer(session.createQueue("ow.ticks")).send(message);

            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Message tick = receiveAfter(consumer, sent, 300 + 300L * i);
                assertThat(((TextMessage) tick).getText()).isEqualTo("tick");
                ids.add(tick.getJMSMessageID());
            }

            assertThat(ids).hasSize(3);
            assertThat(consumer.receive(700)).as("a fourth delivery").isNull();
        }
    }

    @Test
    void scheduledMessageSurvivesARestart() throws Exception {
        long sent;
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage("durable");
            message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, 1500);
            sent = System.nanoTime();
            session.createProducer(session.createQueue("ow.restart")).send(message);
        }

        broker.restart();

        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.restart"));
            assertThat(((TextMessage) receiveAfter(consumer, sent, 1500)).getText()).isEqualTo("durable");
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @Test
    void invalidScheduleIsRefusedToTheProducer() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("ow.invalid"));
            TextMessage message = session.createTextMessage("x");
            // The client itself refuses negative numbers and bad cron syntax; the repeat limit is the broker's.
            message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, 100);
            message.setIntProperty(ScheduledMessage.AMQ_SCHEDULED_REPEAT, 1001);

            assertThatThrownBy(() -> producer.send(message)).isInstanceOf(JMSException.class)
                    .hasMessageContaining("invalid AMQ_SCHEDULED_REPEAT '1001'");
        }
    }
}
