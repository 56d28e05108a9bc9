package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer options of the ActiveMQ client (destination options such as {@code
 * consumer.priority}), composite and virtual destinations, what a closing consumer gives back,
 * and every acknowledge mode.
 */
@Timeout(60)
class ActiveMqClientConsumersTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        return OpenWireClients.connect(broker);
    }

    private static void send(Session session, String destination, String... bodies) throws Exception {
        MessageProducer producer = session.createProducer(session.createQueue(destination));
        for (String body : bodies) {
            producer.send(session.createTextMessage(body));
        }
        producer.close();
    }

    /** Everything the consumer has, until nothing comes for a while. */
    private static List<String> drain(MessageConsumer consumer) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (Message m = consumer.receive(2000); m != null; m = consumer.receive(300)) {
            bodies.add(((TextMessage) m).getText());
        }
        return bodies;
    }

    @Test
    void aHigherPriorityConsumerIsServedFirstUpToItsPrefetch() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer low = session.createConsumer(
                    session.createQueue("ow.priority?consumer.priority=1&consumer.prefetchSize=100"));
            MessageConsumer high = session.createConsumer(
                    session.createQueue("ow.priority?consumer.priority=9&consumer.prefetchSize=2"));
            send(session, "ow.priority", "1", "2", "3", "4", "5");
            assertThat(drain(low)).containsExactly("3", "4", "5");
            assertThat(drain(high)).containsExactly("1", "2");
        }
    }

    @Test
    void anExclusiveConsumerGetsEverythingUntilItLeaves() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer exclusive = session.createConsumer(session.createQueue("ow.exclusive?consumer.exclusive=true"));
            MessageConsumer other = session.createConsumer(session.createQueue("ow.exclusive"));
            send(session, "ow.exclusive", "a", "b", "c");
            assertThat(drain(exclusive)).containsExactly("a", "b", "c");
            exclusive.close();
            send(session, "ow.exclusive", "d");
            assertThat(drain(other)).containsExactly("d");
        }
    }

    @Test
    void aCompositeConsumerReceivesFromEveryMember() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer both = session.createConsumer(session.createQueue("ow.left,ow.right"));
            send(session, "ow.left", "l");
            send(session, "ow.right", "r");
            assertThat(drain(both)).containsExactlyInAnyOrder("l", "r");
        }
    }

    @Test
    void virtualTopicConsumerQueuesEachGetEveryMessageAndShareItWithinTheQueue() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer billing1 = session.createConsumer(session.createQueue("Consumer.billing.VirtualTopic.orders"));
            MessageConsumer billing2 = session.createConsumer(session.createQueue("Consumer.billing.VirtualTopic.orders"));
            MessageConsumer shipping = session.createConsumer(session.createQueue("Consumer.shipping.VirtualTopic.orders"));
            MessageProducer producer = session.createProducer(session.createTopic("VirtualTopic.orders"));
            for (int i = 0; i < 4; i++) {
                producer.send(session.createTextMessage("order" + i));
            }
            List<String> billed = new ArrayList<>(drain(billing1));
            billed.addAll(drain(billing2));
            assertThat(billed).containsExactlyInAnyOrder("order0", "order1", "order2", "order3");
            assertThat(drain(shipping)).containsExactly("order0", "order1", "order2", "order3");
        }
    }

    @Test
    void prefetchedMessagesComeBackUnmarkedAndAReceivedOneMarkedRedelivered() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            send(session, "ow.prefetched", "seen", "p1", "p2");
            MessageConsumer first = session.createConsumer(session.createQueue("ow.prefetched?consumer.prefetchSize=10"));
            Message seen = first.receive(5000);
            assertThat(((TextMessage) seen).getText()).isEqualTo("seen");
            assertThat(seen.getJMSRedelivered()).isFalse();
            first.close();

            MessageConsumer second = session.createConsumer(session.createQueue("ow.prefetched"));
            Message again = second.receive(5000);
            assertThat(((TextMessage) again).getText()).isEqualTo("seen");
            assertThat(again.getJMSRedelivered()).isTrue();
            for (String body : new String[] {"p1", "p2"}) {
                Message m = second.receive(5000);
                assertThat(((TextMessage) m).getText()).isEqualTo(body);
                assertThat(m.getJMSRedelivered()).as(body).isFalse();
            }
            again.acknowledge();
        }
    }

    @Test
    void clientAcknowledgeRecoverRedeliversWhatWasNotAcknowledged() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            send(session, "ow.client-ack", "one", "two");
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.client-ack"));
            consumer.receive(5000).acknowledge();
            Message two = consumer.receive(5000);
            assertThat(two.getJMSRedelivered()).isFalse();
            session.recover();
            Message twoAgain = consumer.receive(5000);
            assertThat(((TextMessage) twoAgain).getText()).isEqualTo("two");
            assertThat(twoAgain.getJMSRedelivered()).isTrue();
            twoAgain.acknowledge();
            consumer.close();
            assertThat(drain(session.createConsumer(session.createQueue("ow.client-ack")))).isEmpty();
        }
    }

    @Test
    void individualAcknowledgeRemovesOnlyTheMessageAcknowledged() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, ActiveMQSession.INDIVIDUAL_ACKNOWLEDGE);
            send(session, "ow.individual", "one", "two", "three");
            MessageConsumer consumer = session.createConsumer(session.createQueue("ow.individual"));
            consumer.receive(5000);
            consumer.receive(5000).acknowledge();
            consumer.receive(5000);
            consumer.close();
            Session again = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(drain(again.createConsumer(again.createQueue("ow.individual"))))
                    .containsExactlyInAnyOrder("one", "three");
        }
    }

    @Test
    void autoAndDupsOkAcknowledgeRemoveWhatWasReceived() throws Exception {
        for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE}) {
            String queue = "ow.mode" + mode;
            try (Connection connection = connect()) {
                Session session = connection.createSession(false, mode);
                send(session, queue, "a", "b");
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                assertThat(drain(consumer)).containsExactly("a", "b");
            }
            try (Connection connection = connect()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThat(drain(session.createConsumer(session.createQueue(queue)))).as("mode " + mode).isEmpty();
            }
        }
    }
}
