package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Prefetch 0: the ActiveMQ client pulls each message, so none waits at an idle consumer. */
@Timeout(60)
class ActiveMqClientPrefetchZeroTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void pullingConsumerTakesOneAtATimeAndAnEmptyPullTimesOut() throws Exception {
        String uri = broker.openWireUri();
        try (Connection puller = new ActiveMQConnectionFactory(uri + "?jms.prefetchPolicy.all=0").createConnection();
             Connection other = new ActiveMQConnectionFactory(uri).createConnection()) {
            puller.start();
            other.start();
            Session session = puller.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ow.pull");
            MessageConsumer pull = session.createConsumer(queue);
            assertThat(pull.receive(200)).as("an empty pull times out").isNull();

            session.createProducer(queue).send(session.createTextMessage("a"));
            session.createProducer(queue).send(session.createTextMessage("b"));
            assertThat(((TextMessage) pull.receive(5000)).getText()).isEqualTo("a");
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer competitor = otherSession.createConsumer(otherSession.createQueue("ow.pull"));
            assertThat(((TextMessage) competitor.receive(5000)).getText())
                    .as("b stayed in the queue, free for another consumer").isEqualTo("b");
        }
    }
}
