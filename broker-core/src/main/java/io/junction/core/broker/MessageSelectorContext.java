package io.junction.core.broker;

import io.junction.core.model.Message;
import io.junction.core.selector.SelectorContext;

/**
 * Exposes a message to a JMS selector: the JMS header fields by their JMS names, everything else
 * from the user properties.
 */
final class MessageSelectorContext implements SelectorContext {

    private final Message message;

    MessageSelectorContext(Message message) {
        this.message = message;
    }

    @Override
    public Object value(String identifier) {
        switch (identifier) {
            case "JMSPriority":
                return message.priority();
            case "JMSType":
                return message.type();
            case "JMSCorrelationID":
                return message.correlationId();
            case "JMSMessageID":
                return message.messageId();
            case "JMSTimestamp":
                return message.timestamp();
            case "JMSExpiration":
                return message.expiration();
            case "JMSDeliveryMode":
                return message.persistent() ? "PERSISTENT" : "NON_PERSISTENT";
            case "JMSXGroupID":
                return message.groupId();
            case "JMSXGroupSeq":
                return message.groupId() == null ? null : message.groupSequence();
            default:
                Object value = message.property(identifier);
                return value instanceof byte[] ? null : value;
        }
    }
}
