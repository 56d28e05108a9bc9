package io.junction.interop.security;

import jakarta.jms.Connection;
import org.apache.qpid.jms.JmsConnectionFactory;

/** Qpid JMS over AMQP 1.0: amqp:unauthorized-access on the refused attach or the rejected send. */
class AmqpAuthorizationTest extends JmsAuthorizationTests {

    @Override
    Connection connect(String user, String password) throws Exception {
        return new JmsConnectionFactory(user, password, broker.amqpUri()).createConnection();
    }
}
