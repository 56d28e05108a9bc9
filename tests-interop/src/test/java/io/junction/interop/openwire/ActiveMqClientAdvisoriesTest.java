package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.advisory.AdvisorySupport;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.RemoveInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The advisory topics the ActiveMQ client relies on with its default settings
 * ({@code watchTopicAdvisories=true}): temporary destinations of other connections are known, so
 * request/reply across connections works and a deleted one is refused; consumer advisories count
 * consumers.
 */
@Timeout(60)
class ActiveMqClientAdvisoriesTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        return OpenWireClients.connect(broker);
    }

    @Test
    void requestReplyAcrossConnectionsThroughATemporaryQueue() throws Exception {
        try (Connection requester = connect(); Connection replier = connect()) {
            Session requests = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = requests.createTemporaryQueue();
            MessageConsumer replyConsumer = requests.createConsumer(replies);
            Session service = replier.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer serviceConsumer = service.createConsumer(service.createQueue("ow.service"));
            MessageProducer answers = service.createProducer(null);

            TextMessage request = requests.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            requests.createProducer(requests.createQueue("ow.service")).send(request);

            Message received = serviceConsumer.receive(5000);
            assertThat(received.getJMSMessageID()).isEqualTo(request.getJMSMessageID());
            TextMessage reply = service.createTextMessage("pong");
            reply.setJMSCorrelationID(received.getJMSMessageID());
            answers.send(received.getJMSReplyTo(), reply);

            Message answer = replyConsumer.receive(5000);
            assertThat(((TextMessage) answer).getText()).isEqualTo("pong");
            assertThat(answer.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
        }
    }

    @Test
    void aDeletedTemporaryQueueOfAnotherConnectionIsRefused() throws Exception {
        try (Connection owner = connect(); Connection other = connect()) {
            Session ownerSession = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue temporary = ownerSession.createTemporaryQueue();
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = otherSession.createProducer(null);
            // The other connection learns of the queue from the broker's TempQueue advisory, on its
            // own transport thread; until then its client refuses the send as to a deleted queue.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !((ActiveMQConnection) other).isDeleted((ActiveMQDestination) temporary));
            producer.send(temporary, otherSession.createTextMessage("while it exists"));
            assertThat(((TextMessage) ownerSession.createConsumer(temporary).receive(5000)).getText())
                    .isEqualTo("while it exists");
            ownerSession.close();
            temporary.delete();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> producer.send(temporary, otherSession.createTextMessage("too late")))
                            .isInstanceOf(InvalidDestinationException.class));
        }
    }

    @Test
    void consumerAdvisoriesCountTheConsumersOfAQueue() throws Exception {
        try (Connection watcher = connect(); Connection worker = connect()) {
            Session watching = watcher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = new ActiveMQQueue("ow.watched");
            Session working = worker.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer early = working.createConsumer(queue);
            MessageConsumer advisories = watching.createConsumer(AdvisorySupport.getConsumerAdvisoryTopic(queue));

            ActiveMQMessage existing = (ActiveMQMessage) advisories.receive(5000);
            assertThat(existing.getDataStructure()).isInstanceOf(ConsumerInfo.class);
            assertThat(existing.getIntProperty("consumerCount")).isEqualTo(1);

            MessageConsumer late = working.createConsumer(queue);
            ActiveMQMessage added = (ActiveMQMessage) advisories.receive(5000);
            assertThat(added.getDataStructure()).isInstanceOf(ConsumerInfo.class);
            assertThat(((ConsumerInfo) added.getDataStructure()).getDestination()).isEqualTo(queue);
            assertThat(added.getIntProperty("consumerCount")).isEqualTo(2);

            late.close();
            early.close();
            ActiveMQMessage removed = (ActiveMQMessage) advisories.receive(5000);
            assertThat(removed.getDataStructure()).isInstanceOf(RemoveInfo.class);
            assertThat(removed.getIntProperty("consumerCount")).isEqualTo(1);
            assertThat(((ActiveMQMessage) advisories.receive(5000)).getIntProperty("consumerCount")).isZero();
        }
    }
}
