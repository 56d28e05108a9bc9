package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static io.junction.interop.openwire.JmsKinds.receive;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ActiveMQ client (OpenWire) and Qpid JMS (AMQP 1.0) on the same queues and topics, both
 * ways: every JMS message kind with every property type, the JMS headers, reply-to destinations
 * of every kind (answered across the protocols), message groups and wildcard subscriptions
 * (design sections 2 and 3, docs/protocols/openwire.md "Message conversion").
 */
@Timeout(90)
class OpenWireCrossAmqpTest {

    /** Who sends; the other client receives. */
    enum Direction {
        OPENWIRE_TO_AMQP(Client.OPENWIRE, Client.AMQP),
        AMQP_TO_OPENWIRE(Client.AMQP, Client.OPENWIRE);

        final Client from;
        final Client to;

        Direction(Client from, Client to) {
            this.from = from;
            this.to = to;
        }
    }

    enum Client { OPENWIRE, AMQP }

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // closing anyway
            }
        }
    }

    private Session session(Client client) throws JMSException {
        Connection connection = client == Client.OPENWIRE
                ? JmsKinds.openWire(broker, "").createConnection()
                : new JmsConnectionFactory(broker.amqpUri()).createConnection();
        connections.add(connection);
        connection.start();
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void everyMessageKindWithEveryPropertyTypeCrossesAQueue(Direction direction) throws Exception {
        Session sender = session(direction.from);
        JmsKinds.sendEveryKind(sender, sender.createProducer(sender.createQueue("xow.kinds")));

        Session receiver = session(direction.to);
        JmsKinds.assertEveryKind(receiver.createConsumer(receiver.createQueue("xow.kinds")));
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void everyMessageKindCrossesATopic(Direction direction) throws Exception {
        Session receiver = session(direction.to);
        MessageConsumer subscriber = receiver.createConsumer(receiver.createTopic("xow.kinds.t"));
        Session sender = session(direction.from);
        JmsKinds.sendEveryKind(sender, sender.createProducer(sender.createTopic("xow.kinds.t")));

        JmsKinds.assertEveryKind(subscriber);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void jmsHeadersCross(Direction direction) throws Exception {
        Session sender = session(direction.from);
        MessageProducer producer = sender.createProducer(sender.createQueue("xow.headers"));
        TextMessage persistent = sender.createTextMessage("persistent");
        persistent.setJMSCorrelationID("corr-42");
        persistent.setJMSType("order.created");
        long ttl = 60_000;
        long before = System.currentTimeMillis();
        producer.send(persistent, DeliveryMode.PERSISTENT, 7, ttl);
        TextMessage transientMessage = sender.createTextMessage("non-persistent");
        producer.send(transientMessage, DeliveryMode.NON_PERSISTENT, 2, 0);

        Session receiver = session(direction.to);
        MessageConsumer consumer = receiver.createConsumer(receiver.createQueue("xow.headers"));
        Message first = receive(consumer);
        long after = System.currentTimeMillis();
        assertThat(((TextMessage) first).getText()).isEqualTo("persistent");
        assertThat(first.getJMSCorrelationID()).isEqualTo("corr-42");
        assertThat(first.getJMSType()).isEqualTo("order.created");
        assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(first.getJMSPriority()).isEqualTo(7);
        assertThat(first.getJMSTimestamp()).isEqualTo(persistent.getJMSTimestamp());
        assertThat(first.getJMSMessageID()).as("the id the producer's client gave the message")
                .isEqualTo(persistent.getJMSMessageID());
        if (direction == Direction.OPENWIRE_TO_AMQP) {
            // The broker gives AMQP consumers the absolute expiry time as well as the time to live.
            assertThat(first.getJMSExpiration()).isEqualTo(persistent.getJMSExpiration());
        } else {
            // From AMQP the broker takes the time to live, counted from when it takes the message.
            assertThat(first.getJMSExpiration()).isBetween(before + ttl, after + ttl);
        }
        assertThat(first.getJMSDestination()).isInstanceOf(Queue.class);
        assertThat(((Queue) first.getJMSDestination()).getQueueName()).isEqualTo("xow.headers");
        assertThat(first.getJMSRedelivered()).isFalse();

        Message second = receive(consumer);
        assertThat(((TextMessage) second).getText()).isEqualTo("non-persistent");
        assertThat(second.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(second.getJMSPriority()).isEqualTo(2);
        assertThat(second.getJMSExpiration()).isZero();
        assertThat(second.getJMSCorrelationID()).isNull();
        assertThat(second.getJMSType()).isNull();
        assertThat(second.getJMSReplyTo()).isNull();
        assertThat(second.getJMSMessageID()).isEqualTo(transientMessage.getJMSMessageID());
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void messageGroupIdAndSequenceCross(Direction direction) throws Exception {
        Session sender = session(direction.from);
        MessageProducer producer = sender.createProducer(sender.createQueue("xow.groups"));
        for (int seq = 1; seq <= 2; seq++) {
            TextMessage m = sender.createTextMessage("member " + seq);
            m.setStringProperty("JMSXGroupID", "basket-7");
            m.setIntProperty("JMSXGroupSeq", seq);
            producer.send(m);
        }
        Session receiver = session(direction.to);
        MessageConsumer consumer = receiver.createConsumer(receiver.createQueue("xow.groups"));
        for (int seq = 1; seq <= 2; seq++) {
            Message m = receive(consumer);
            assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo("basket-7");
            assertThat(m.getIntProperty("JMSXGroupSeq")).isEqualTo(seq);
        }
    }

    /**
     * A request carries a reply-to of each kind; the receiver sees the same destination and
     * answers to it with its own protocol; the requester gets the answer.
     */
    @ParameterizedTest
    @EnumSource(Direction.class)
    void replyToQueueTopicAndTemporaryDestinationsCrossAndCanBeAnswered(Direction direction) throws Exception {
        Session requester = session(direction.from);
        Queue replyQueue = requester.createQueue("xow.replies");
        Topic replyTopic = requester.createTopic("xow.replies.t");
        TemporaryQueue tempQueue = requester.createTemporaryQueue();
        TemporaryTopic tempTopic = requester.createTemporaryTopic();
        List<Destination> replyTos = List.of(replyQueue, replyTopic, tempQueue, tempTopic);
        List<MessageConsumer> replyConsumers = new ArrayList<>();
        for (Destination d : replyTos) {
            replyConsumers.add(requester.createConsumer(d));
        }
        MessageProducer producer = requester.createProducer(requester.createQueue("xow.requests"));
        for (Destination d : replyTos) {
            TextMessage request = requester.createTextMessage("reply to " + d);
            request.setJMSReplyTo(d);
            request.setJMSCorrelationID("req-" + replyTos.indexOf(d));
            producer.send(request);
        }

        Session responder = session(direction.to);
        MessageConsumer requests = responder.createConsumer(responder.createQueue("xow.requests"));
        MessageProducer answers = responder.createProducer(null);
        for (Destination sent : replyTos) {
            Message request = receive(requests);
            Destination replyTo = request.getJMSReplyTo();
            assertThat(replyTo).as("reply-to %s", sent).isNotNull();
            assertThat(kind(replyTo)).as("kind of reply-to %s", sent).isEqualTo(kind(sent));
            assertThat(name(replyTo)).isEqualTo(name(sent));
            TextMessage answer = responder.createTextMessage("answer to " + request.getJMSCorrelationID());
            answer.setJMSCorrelationID(request.getJMSCorrelationID());
            answers.send(replyTo, answer);
        }
        for (int i = 0; i < replyTos.size(); i++) {
            Message answer = receive(replyConsumers.get(i));
            assertThat(answer.getJMSCorrelationID()).isEqualTo("req-" + i);
            assertThat(((TextMessage) answer).getText()).isEqualTo("answer to req-" + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void wildcardTopicSubscribersGetTheOtherProtocolsPublishes(Direction direction) throws Exception {
        Session receiver = session(direction.to);
        MessageConsumer oneWord = receiver.createConsumer(receiver.createTopic("xow.orders.*.paid"));
        MessageConsumer rest = receiver.createConsumer(receiver.createTopic("xow.orders.>"));
        Session sender = session(direction.from);
        MessageProducer producer = sender.createProducer(sender.createTopic("xow.orders.eu.paid"));
        producer.send(sender.createTextMessage("paid"));

        Message viaOneWord = receive(oneWord);
        assertThat(((TextMessage) viaOneWord).getText()).isEqualTo("paid");
        assertThat(((Topic) viaOneWord.getJMSDestination()).getTopicName()).isEqualTo("xow.orders.eu.paid");
        assertThat(((TextMessage) receive(rest)).getText()).isEqualTo("paid");
    }

    /** An empty map, an empty stream and a map holding nulls are still a map and a stream. */
    @ParameterizedTest
    @EnumSource(Direction.class)
    void emptyMapAndStreamKeepTheirKind(Direction direction) throws Exception {
        Session sender = session(direction.from);
        MessageProducer producer = sender.createProducer(sender.createQueue("xow.empty"));
        producer.send(sender.createMapMessage());
        producer.send(sender.createStreamMessage());
        StreamMessage withNull = sender.createStreamMessage();
        withNull.writeString("before");
        withNull.writeObject(null);
        producer.send(withNull);

        Session receiver = session(direction.to);
        MessageConsumer consumer = receiver.createConsumer(receiver.createQueue("xow.empty"));
        Message map = receive(consumer);
        assertThat(map).isInstanceOf(MapMessage.class);
        assertThat(((MapMessage) map).getMapNames().hasMoreElements()).isFalse();
        assertThat(receive(consumer)).isInstanceOf(StreamMessage.class);
        StreamMessage stream = (StreamMessage) receive(consumer);
        assertThat(stream.readString()).isEqualTo("before");
        assertThat(stream.readObject()).isNull();
    }

    /** The OpenWire client's own message id survives a trip through the broker to an AMQP consumer and back. */
    @Test
    void openWireMessageIdIsTheJmsMessageIdOfEveryConsumer() throws Exception {
        Session openWire = session(Client.OPENWIRE);
        Session amqp = session(Client.AMQP);
        MessageConsumer amqpSubscriber = amqp.createConsumer(amqp.createTopic("xow.ids"));
        MessageConsumer openWireSubscriber = openWire.createConsumer(openWire.createTopic("xow.ids"));
        TextMessage sent = openWire.createTextMessage("id");
        openWire.createProducer(openWire.createTopic("xow.ids")).send(sent);

        assertThat(receive(amqpSubscriber).getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
        assertThat(receive(openWireSubscriber).getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
    }

    private static String kind(Destination d) {
        if (d instanceof TemporaryQueue) {
            return "temporary queue";
        }
        if (d instanceof TemporaryTopic) {
            return "temporary topic";
        }
        return d instanceof Queue ? "queue" : "topic";
    }

    private static String name(Destination d) throws JMSException {
        return d instanceof Queue q ? q.getQueueName() : ((Topic) d).getTopicName();
    }
}
