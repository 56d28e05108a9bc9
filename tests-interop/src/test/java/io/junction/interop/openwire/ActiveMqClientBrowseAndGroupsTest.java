package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** QueueBrowser and message groups through the ActiveMQ 6.x client. */
@Timeout(60)
class ActiveMqClientBrowseAndGroupsTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker();

    private Connection connect() throws Exception {
        return OpenWireClients.connect(broker);
    }

    @Test
    void browserSeesWhatWaitsWithoutTakingIt() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ow.browse");
            MessageProducer producer = session.createProducer(queue);
            for (String body : new String[] {"one", "two", "three"}) {
                TextMessage m = session.createTextMessage(body);
                m.setBooleanProperty("odd", !body.equals("two"));
                producer.send(m);
            }
            List<String> seen = new ArrayList<>();
            QueueBrowser browser = session.createBrowser(queue);
            for (Message m : Collections.list((java.util.Enumeration<Message>) browser.getEnumeration())) {
                seen.add(((TextMessage) m).getText());
            }
            assertThat(seen).containsExactly("one", "two", "three");
            List<String> odd = new ArrayList<>();
            QueueBrowser selective = session.createBrowser(queue, "odd = TRUE");
            for (Message m : Collections.list((java.util.Enumeration<Message>) selective.getEnumeration())) {
                odd.add(((TextMessage) m).getText());
            }
            assertThat(odd).containsExactly("one", "three");
            assertThat(broker.broker().queue("ow.browse").depth()).isEqualTo(3);
        }
    }

    @Test
    void groupedMessagesStickToOneConsumer() throws Exception {
        try (Connection connection = connect()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("ow.groups");
            MessageConsumer first = session.createConsumer(queue);
            MessageConsumer second = session.createConsumer(queue);
            MessageProducer producer = session.createProducer(queue);
            for (int i = 1; i <= 4; i++) {
                for (String group : new String[] {"A", "B"}) {
                    TextMessage m = session.createTextMessage(group + i);
                    m.setStringProperty("JMSXGroupID", group);
                    producer.send(m);
                }
            }
            for (MessageConsumer consumer : new MessageConsumer[] {first, second}) {
                List<String> got = new ArrayList<>();
                for (Message m; (m = consumer.receive(500)) != null; ) {
                    got.add(((TextMessage) m).getText());
                }
                assertThat(got).hasSize(4);
                String group = got.get(0).substring(0, 1);
                assertThat(got).allMatch(body -> body.startsWith(group));
            }
        }
    }
}
