package io.junction.bench.peer;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * One JMS round trip through a peer broker, for {@code bench/peers/peer.sh check}: a persistent text
 * message sent to a queue and received from it, over AMQP 1.0 (Qpid JMS) or OpenWire (the ActiveMQ
 * client), with no credentials. Prints one {@code ok ...} line, or {@code FAILED ...} and exits 1.
 *
 * <p>Arguments: {@code amqp|openwire}, the port on 127.0.0.1, and the peer's name (RabbitMQ's AMQP
 * 1.0 plugin addresses a queue as {@code /queue/<name>}; the other brokers take the bare name).
 */
public final class PeerCheck {

    private static final long RECEIVE_TIMEOUT_MS = 20_000;

    private PeerCheck() {
    }

    public static void main(String[] args) throws JMSException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: PeerCheck <amqp|openwire> <port> <peer name>");
        }
        String protocol = args[0];
        int port = Integer.parseInt(args[1]);
        // A queue of its own per protocol: RabbitMQ declares a STOMP queue durable and an AMQP 1.0 one not.
        String name = "peer-check-" + args[0];
        String address = "rabbitmq".equals(args[2]) ? "/queue/" + name : name;
        ConnectionFactory factory = switch (protocol) {
            case "amqp" -> new JmsConnectionFactory("amqp://127.0.0.1:" + port);
            case "openwire" -> new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
            default -> throw new IllegalArgumentException("unknown protocol " + protocol + " (amqp or openwire)");
        };
        String body = protocol + " round trip " + System.nanoTime();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(address);
            MessageConsumer consumer = session.createConsumer(queue);
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage(body));
            // Messages that an earlier check left in the queue come first: skip them.
            long deadline = System.currentTimeMillis() + RECEIVE_TIMEOUT_MS;
            Message received;
            do {
                received = consumer.receive(Math.max(1, deadline - System.currentTimeMillis()));
            } while (received != null && !(received instanceof TextMessage text && body.equals(text.getText()))
                    && System.currentTimeMillis() < deadline);
            if (received instanceof TextMessage text && body.equals(text.getText())) {
                System.out.println("ok " + protocol + ": persistent send and receive on queue " + address
                        + " through 127.0.0.1:" + port + " (" + connection.getMetaData().getJMSProviderName()
                        + " " + connection.getMetaData().getProviderVersion() + ")");
                return;
            }
            System.out.println("FAILED " + protocol + " on 127.0.0.1:" + port + ": received " + received);
        }
        System.exit(1);
    }
}
