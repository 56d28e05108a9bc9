package io.junction.interop.openwire;

import io.junction.interop.support.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/** Started ActiveMQ client connections to the test broker, with the client's default settings. */
final class OpenWireClients {

    private OpenWireClients() {
    }

    static Connection connect(EmbeddedBroker broker) throws Exception {
        return connect(broker, "");
    }

    /** @param options URL options, {@code ?jms.useAsyncSend=true} say, or empty */
    static Connection connect(EmbeddedBroker broker, String options) throws Exception {
        Connection connection = new ActiveMQConnectionFactory(broker.openWireUri() + options).createConnection();
        connection.start();
        return connection;
    }

    /**
     * Sessions on connections made by {@link JmsKinds#openWire}, closed after each test; register
     * it after the broker, so that it closes first.
     */
    static final class Sessions implements AfterEachCallback {

        private final EmbeddedBroker broker;
        private final List<Connection> connections = new ArrayList<>();

        Sessions(EmbeddedBroker broker) {
            this.broker = broker;
        }

        Session open() throws JMSException {
            Connection connection = JmsKinds.openWire(broker, "").createConnection();
            connections.add(connection);
            connection.start();
            return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        }

        @Override
        public void afterEach(ExtensionContext context) throws JMSException {
            for (Connection connection : connections) {
                connection.close();
            }
            connections.clear();
        }
    }
}
