package io.junction.openwire;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.MessageId;

/** The module's message mapping, opened to benchmarks in other packages. */
public final class OpenWireConversions {

    private OpenWireConversions() {
    }

    /** As {@code OpenWireConnection} maps a producer's message. */
    public static Message toCore(ActiveMQMessage message) throws Exception {
        return OpenWireMessages.toCore(message);
    }

    /** As {@code OpenWireConsumer} maps a delivery. */
    public static ActiveMQMessage toOpenWire(Message message, Destination addressedTo, MessageId id) throws Exception {
        return OpenWireMessages.toOpenWire(message, addressedTo, id);
    }
}
