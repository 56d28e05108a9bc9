package io.junction.openwire;

import io.junction.core.model.Message;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;

/**
 * The ids a connection's dispatched messages carry. A message an OpenWire client sent keeps its
 * id: applications correlate replies with it, and the client's duplicate audit reads its producer
 * and sequence. Another protocol's message gets an id of the broker's with its own id as the
 * text the application sees. Every dispatch also gets the next broker sequence id, which the
 * client's RemoveInfo uses to say what its application received. Confined to one connection.
 */
final class DispatchIds {

    private final ProducerId producer;
    private long producerSequence;
    private long brokerSequence;

    DispatchIds(ProducerId producer) {
        this.producer = producer;
    }

    /** A fresh id for one dispatch (MessageId caches its text, so ids are never shared). */
    MessageId next(Message message) {
        String original = message.messageId();
        MessageId id = openWireId(original);
        if (id == null) {
            id = new MessageId(producer, ++producerSequence);
            if (original != null) {
                id.setTextView(original);
            }
        }
        id.setBrokerSequenceId(++brokerSequence);
        return id;
    }

    /** The id parsed as OpenWire's {@code ID:<producer>:<sequence>}, or null when it is not one. */
    private static MessageId openWireId(String id) {
        if (id == null || !id.startsWith("ID:")) {
            return null;
        }
        try {
            return new MessageId(id);
        } catch (RuntimeException notOpenWire) {
            return null;
        }
    }
}
