package io.junction.amqp;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;

/** The module's message mapping, opened to benchmarks in other packages. */
public final class AmqpConversions {

    private AmqpConversions() {
    }

    /** As {@code ConsumerLink} maps a first delivery. */
    public static org.apache.qpid.proton.message.Message toAmqp(Message message, Destination addressedTo, long now) {
        return AmqpMessages.toAmqp(message, addressedTo, 0, now);
    }

    /** As {@code AmqpConnection} maps a received message. */
    public static Message toCore(org.apache.qpid.proton.message.Message amqp, Destination destination, long now) {
        return AmqpMessages.toCore(amqp, destination, now);
    }

    public static byte[] encode(org.apache.qpid.proton.message.Message amqp) {
        return AmqpCodec.encode(amqp, 0);
    }
}
