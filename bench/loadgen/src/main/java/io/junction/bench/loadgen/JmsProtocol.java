package io.junction.bench.loadgen;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * The wire protocol of a JMS scenario ({@code --protocol}) and the client library behind it: the
 * ActiveMQ client for OpenWire, Qpid JMS for AMQP 1.0. Scenarios see only the jakarta.jms API.
 */
enum JmsProtocol {
    OPENWIRE, AMQP;

    static JmsProtocol parse(String name) {
        return switch (name) {
            case "openwire" -> OPENWIRE;
            case "amqp" -> AMQP;
            default -> throw new IllegalArgumentException("--protocol is openwire or amqp, was " + name);
        };
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How long a client waits for the broker to answer a request (an attach, a commit) before it fails. */
    static final int REQUEST_TIMEOUT_MILLIS = 30_000;

    /**
     * A factory for the target. With {@code asyncSend}, persistent sends do not wait for the broker:
     * the ActiveMQ client's {@code useAsyncSend} bounded by a producer window of {@code windowBytes}
     * (it blocks a send once that many bytes are unacknowledged), Qpid's {@code forceAsyncSend}
     * (bounded by the link credit the broker grants).
     */
    ConnectionFactory factory(Target target, boolean asyncSend, int windowBytes) {
        return switch (this) {
            case OPENWIRE -> {
                ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                        "tcp://" + target.host() + ":" + target.port());
                factory.setUseAsyncSend(asyncSend);
                if (asyncSend) {
                    factory.setProducerWindowSize(windowBytes);
                }
                yield factory;
            }
            // A bound on every request (Qpid waits for ever by default): RabbitMQ's AMQP 1.0 plugin
            // never answers the attach of a transaction coordinator, which hung the transacted run.
            case AMQP -> new JmsConnectionFactory("amqp://" + target.host() + ":" + target.port()
                    + "?jms.forceAsyncSend=" + asyncSend + "&jms.requestTimeout=" + REQUEST_TIMEOUT_MILLIS);
        };
    }
}
