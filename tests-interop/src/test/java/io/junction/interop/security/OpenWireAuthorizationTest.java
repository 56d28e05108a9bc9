package io.junction.interop.security;

import jakarta.jms.Connection;
import org.apache.activemq.ActiveMQConnectionFactory;

/** The ActiveMQ client: an ExceptionResponse carrying a JMSSecurityException. */
class OpenWireAuthorizationTest extends JmsAuthorizationTests {

    @Override
    Connection connect(String user, String password) throws Exception {
        return new ActiveMQConnectionFactory(user, password, broker.openWireUri()).createConnection();
    }
}
