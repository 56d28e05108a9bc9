package io.junction.interop.durability;

import io.junction.interop.support.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persistent scheduled messages in the real broker, a child process killed with SIGKILL: a
 * schedule accepted before the kill delivers after the restart, and a delivery made before the
 * kill is not made again (it was stored together with the schedule's next state).
 */
@Timeout(120)
class ScheduledCrashTest {

    private static final String CONFIG = """
            broker:
              dataDirectory: data
              shutdownTimeout: 5s
            listeners:
              - name: stomp
                protocols: [stomp]
                port: 0
              - name: amqp
                protocols: [amqp]
                port: 0
            """;

    @TempDir
    Path directory;

    private BrokerProcess broker;

    @BeforeEach
    void createBroker() throws Exception {
        broker = BrokerProcess.builder().directory(directory).config(CONFIG).javaOpts("-Xms64m -Xmx256m")
                .newPortOnEachStart().prepare();
    }

    @AfterEach
    void killBroker() throws Exception {
        broker.close();
    }

    private Connection connect() throws Exception {
        Connection connection = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.listenerPort("amqp")
                + "?jms.connectTimeout=5000&jms.requestTimeout=10000").createConnection();
        connection.start();
        return connection;
    }

    @Test
    void schedulesGoOnAfterAKillWithoutRepeatingADelivery() throws Exception {
        broker.start();
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("crash.scheduled"));
            TextMessage later = session.createTextMessage("later");
            later.setLongProperty("AMQ_SCHEDULED_DELAY", 1000);
            producer.send(later);
            TextMessage ticks = session.createTextMessage("tick");
            ticks.setLongProperty("AMQ_SCHEDULED_DELAY", 100);
            ticks.setLongProperty("AMQ_SCHEDULED_PERIOD", 2000);
            ticks.setIntProperty("AMQ_SCHEDULED_REPEAT", 1);
            producer.send(ticks);
        }
        // The first tick is due after 100 ms and is then held by the queue, unconsumed.
        Thread.sleep(600);
        broker.kill();

        broker.start();
        List<String> received = new ArrayList<>();
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("crash.scheduled");
            MessageConsumer consumer = session.createConsumer(queue);
            for (Message m; (m = consumer.receive(received.size() < 3 ? 10_000 : 2500)) != null; ) {
                String text = ((TextMessage) m).getText();
                // Each delivery of a repeating schedule has the sent message id with "-<delivery number>".
                String id = m.getJMSMessageID();
                received.add(text.equals("tick") ? text + id.substring(id.lastIndexOf('-')) : text);
            }
        }

        assertThat(received).containsExactlyInAnyOrder("tick-1", "later", "tick-2");
    }
}
