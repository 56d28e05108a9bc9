package io.junction.interop.openwire;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static io.junction.interop.openwire.JmsKinds.bytes;
import static io.junction.interop.openwire.JmsKinds.receive;
import static io.junction.interop.raw.RawStompClient.frame;
import static io.junction.interop.raw.RawStompClient.frameWithBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ActiveMQ client (OpenWire) and STOMP 1.2 on the same queues and topics, both ways (design
 * section 3): text is UTF-8, a STOMP frame without {@code content-length} (or with a
 * {@code text/*} content type) is a TextMessage and one with it a BytesMessage; STOMP headers
 * are string properties and properties come back as headers; {@code persistent},
 * {@code priority}, {@code expires}, {@code correlation-id}, {@code type}, {@code reply-to} and
 * the group headers are the JMS headers.
 */
@Timeout(60)
class OpenWireCrossStompTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @RegisterExtension
    final OpenWireClients.Sessions openWire = new OpenWireClients.Sessions(broker);

    private RawStompClient stompSubscribedTo(String destination) throws Exception {
        RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2");
        stomp.write(frame("SUBSCRIBE", "id:1", "destination:" + destination, "receipt:subscribed"));
        RawFrame receipt = stomp.readFrame();
        assertThat(receipt.command()).as("%s", receipt).isEqualTo("RECEIPT");
        return stomp;
    }

    private static RawFrame message(RawStompClient stomp) throws Exception {
        RawFrame frame = stomp.readFrame();
        assertThat(frame.command()).as("%s", frame).isEqualTo("MESSAGE");
        return frame;
    }

    /** A STOMP 1.2 header value as the application means it (section "Value Encoding"). */
    private static String decoded(String value) {
        return value == null ? null : value.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r")
                .replace("\\\\", "\\");
    }

    private static String encoded(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\c");
    }

    // ---- OpenWire -> STOMP ----

    @Test
    void openWireTextAndBytesReachStompWithPropertiesAndJmsHeadersAsHeaders() throws Exception {
        try (RawStompClient stomp = stompSubscribedTo("/queue/xos.in")) {
            Session session = openWire.open();
            MessageProducer producer = session.createProducer(session.createQueue("xos.in"));
            TextMessage text = session.createTextMessage("héllo from OpenWire");
            JmsKinds.setProperties(text);
            text.setJMSCorrelationID("corr-1");
            text.setJMSType("greeting");
            text.setJMSReplyTo(session.createQueue("xos.replies"));
            text.setStringProperty("JMSXGroupID", "g-1");
            text.setIntProperty("JMSXGroupSeq", 3);
            producer.send(text, DeliveryMode.PERSISTENT, 7, 60_000);
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(JmsKinds.BYTES);
            bytes.setJMSReplyTo(session.createTopic("xos.replies.t"));
            producer.send(bytes, DeliveryMode.NON_PERSISTENT, 2, 0);

            RawFrame t = message(stomp);
            assertThat(t.bodyText()).isEqualTo("héllo from OpenWire");
            assertThat(t.header("content-length"))
                    .isEqualTo(String.valueOf("héllo from OpenWire".getBytes(StandardCharsets.UTF_8).length));
            assertThat(t.header("destination")).isEqualTo("/queue/xos.in");
            assertThat(decoded(t.header("message-id"))).isEqualTo(text.getJMSMessageID());
            assertThat(t.header("persistent")).isEqualTo("true");
            assertThat(t.header("priority")).isEqualTo("7");
            assertThat(t.header("expires")).isEqualTo(String.valueOf(text.getJMSExpiration()));
            assertThat(t.header("timestamp")).isEqualTo(String.valueOf(text.getJMSTimestamp()));
            assertThat(t.header("correlation-id")).isEqualTo("corr-1");
            assertThat(t.header("type")).isEqualTo("greeting");
            assertThat(t.header("reply-to")).isEqualTo("/queue/xos.replies");
            assertThat(t.header("JMSXGroupID")).isEqualTo("g-1");
            assertThat(t.header("JMSXGroupSeq")).isEqualTo("3");
            assertThat(t.header("str")).isEqualTo("ünï €");
            assertThat(t.header("bool")).isEqualTo("true");
            assertThat(t.header("byte")).isEqualTo("-7");
            assertThat(t.header("short")).isEqualTo("300");
            assertThat(t.header("int")).isEqualTo("70000");
            assertThat(t.header("long")).isEqualTo(String.valueOf(1L << 40));
            assertThat(t.header("float")).isEqualTo("1.5");
            assertThat(t.header("double")).isEqualTo(String.valueOf(Math.PI));

            RawFrame b = message(stomp);
            assertThat(b.body()).isEqualTo(JmsKinds.BYTES);
            assertThat(b.header("content-length")).isEqualTo(String.valueOf(JmsKinds.BYTES.length));
            assertThat(b.header("persistent")).as("non-persistent").isNull();
            assertThat(b.header("priority")).isEqualTo("2");
            assertThat(b.header("expires")).isEqualTo("0");
            assertThat(b.header("reply-to")).isEqualTo("/topic/xos.replies.t");
        }
    }

    @Test
    void openWirePublishOnATopicReachesAStompTopicSubscriber() throws Exception {
        try (RawStompClient stomp = stompSubscribedTo("/topic/xos.prices.>")) {
            Session session = openWire.open();
            session.createProducer(session.createTopic("xos.prices.eur")).send(session.createTextMessage("1.08"));
            RawFrame frame = message(stomp);
            assertThat(frame.header("destination")).isEqualTo("/topic/xos.prices.eur");
            assertThat(frame.bodyText()).isEqualTo("1.08");
        }
    }

    @Test
    void openWireTemporaryQueueInReplyToIsAnsweredByStomp() throws Exception {
        Session session = openWire.open();
        TemporaryQueue replies = session.createTemporaryQueue();
        MessageConsumer answers = session.createConsumer(replies);
        try (RawStompClient stomp = stompSubscribedTo("/queue/xos.requests")) {
            TextMessage request = session.createTextMessage("question");
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("q-1");
            session.createProducer(session.createQueue("xos.requests")).send(request);

            RawFrame frame = message(stomp);
            String replyTo = decoded(frame.header("reply-to"));
            assertThat(replyTo).isEqualTo("/remote-temp-queue/" + replies.getQueueName());
            stomp.write(frameWithBody("SEND", "answer", "destination:" + encoded(replyTo),
                    "correlation-id:" + frame.header("correlation-id"), "receipt:answered"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("answered");
        }
        Message answer = receive(answers);
        assertThat(((TextMessage) answer).getText()).isEqualTo("answer");
        assertThat(answer.getJMSCorrelationID()).isEqualTo("q-1");
        assertThat(answer.getJMSDestination()).isEqualTo(replies);
    }

    // ---- STOMP -> OpenWire ----

    @Test
    void stompSendsAreTextOrBytesMessagesWithHeadersAsStringPropertiesAndJmsHeaders() throws Exception {
        long expires = System.currentTimeMillis() + 60_000;
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            stomp.write(frameWithBody("SEND", "text from STOMP ü", "destination:/queue/xos.out", "region:eu",
                    "count:3", "correlation-id:corr-2", "type:order", "persistent:true", "priority:6",
                    "expires:" + expires, "reply-to:/queue/xos.back", "JMSXGroupID:g-2", "JMSXGroupSeq:5",
                    "receipt:1"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("1");
            stomp.write(frameWithBody("SEND", "raw\u0000bytes", "destination:/queue/xos.out", "content-length:9",
                    "reply-to:/topic/xos.back.t", "receipt:2"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("2");
            stomp.write(frameWithBody("SEND", "typed text", "destination:/queue/xos.out", "content-length:10",
                    "content-type:text/plain;charset=utf-8", "receipt:3"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("3");
        }

        Session session = openWire.open();
        MessageConsumer consumer = session.createConsumer(session.createQueue("xos.out"));
        Message text = receive(consumer);
        assertThat(text).as("no content-length: text").isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) text).getText()).isEqualTo("text from STOMP ü");
        assertThat(text.getObjectProperty("region")).isEqualTo("eu");
        assertThat(text.getObjectProperty("count")).as("headers are strings").isEqualTo("3");
        assertThat(text.getJMSCorrelationID()).isEqualTo("corr-2");
        assertThat(text.getJMSType()).isEqualTo("order");
        assertThat(text.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(text.getJMSPriority()).isEqualTo(6);
        assertThat(text.getJMSExpiration()).isEqualTo(expires);
        assertThat(text.getJMSReplyTo()).isInstanceOf(Queue.class);
        assertThat(((Queue) text.getJMSReplyTo()).getQueueName()).isEqualTo("xos.back");
        assertThat(text.getStringProperty("JMSXGroupID")).isEqualTo("g-2");
        assertThat(text.getIntProperty("JMSXGroupSeq")).isEqualTo(5);
        assertThat(text.getJMSMessageID()).isNotBlank();
        assertThat(((Queue) text.getJMSDestination()).getQueueName()).isEqualTo("xos.out");

        Message bytes = receive(consumer);
        assertThat(bytes).as("content-length: bytes").isInstanceOf(BytesMessage.class);
        assertThat(bytes((BytesMessage) bytes)).isEqualTo("raw\u0000bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.getJMSDeliveryMode()).as("STOMP's default").isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(bytes.getJMSPriority()).isEqualTo(4);
        assertThat(bytes.getJMSExpiration()).isZero();
        assertThat(bytes.getJMSReplyTo()).isInstanceOf(Topic.class);
        assertThat(((Topic) bytes.getJMSReplyTo()).getTopicName()).isEqualTo("xos.back.t");

        Message typed = receive(consumer);
        assertThat(typed).as("content-type text/*: text").isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) typed).getText()).isEqualTo("typed text");
        assertThat(typed.getStringProperty("content-type")).isEqualTo("text/plain;charset=utf-8");
    }

    @Test
    void stompTemporaryQueueInReplyToIsAnsweredByOpenWire() throws Exception {
        Session session = openWire.open();
        MessageConsumer requests = session.createConsumer(session.createQueue("xos.asks"));
        try (RawStompClient stomp = stompSubscribedTo("/temp-queue/answers")) {
            stomp.write(frameWithBody("SEND", "question", "destination:/queue/xos.asks",
                    "reply-to:/temp-queue/answers", "receipt:asked"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("asked");

            Message request = receive(requests);
            assertThat(request.getJMSReplyTo()).isInstanceOf(TemporaryQueue.class);
            session.createProducer(request.getJMSReplyTo()).send(session.createTextMessage("answer"));

            RawFrame answer = message(stomp);
            assertThat(answer.bodyText()).isEqualTo("answer");
            assertThat(answer.header("destination")).isEqualTo("/temp-queue/answers");
        }
    }

    @Test
    void stompSendOnATopicReachesOpenWireWildcardSubscribers() throws Exception {
        Session session = openWire.open();
        MessageConsumer oneWord = session.createConsumer(session.createTopic("xos.orders.*.paid"));
        MessageConsumer rest = session.createConsumer(session.createTopic("xos.orders.>"));
        try (RawStompClient stomp = RawStompClient.connected(broker.stompPort(), "1.2")) {
            stomp.write(frameWithBody("SEND", "paid", "destination:/topic/xos.orders.eu.paid", "receipt:1"));
            assertThat(stomp.readFrame().header("receipt-id")).isEqualTo("1");
        }
        for (MessageConsumer subscriber : new MessageConsumer[] {oneWord, rest}) {
            Message m = receive(subscriber);
            assertThat(((TextMessage) m).getText()).isEqualTo("paid");
            assertThat(((Topic) m.getJMSDestination()).getTopicName()).isEqualTo("xos.orders.eu.paid");
        }
    }
}
