package io.junction.core.broker;

import io.junction.core.model.Message;
import io.junction.core.selector.Selector;

/**
 * A subscription to a topic or topic pattern: the queue that keeps its copies, plus the filter
 * applied when a message is published, so that messages the subscriber would never take do not
 * fill its queue.
 *
 * @param durableKey {@code clientId:subscriptionName} for a durable subscription, null otherwise
 * @param noLocal    the {@link Message#sender()} whose messages the subscriber does not want, or null
 */
record TopicSubscription(String pattern, Selector selector, Queue queue, String durableKey, String noLocal) {

    boolean durable() {
        return durableKey != null;
    }

    /** Whether the subscriber wants the message (its selector, applied at publish time). */
    boolean accepts(Message message) {
        if (noLocal != null && noLocal.equals(message.sender())) {
            return false;
        }
        if (!message.persistent() && queue.persistentOnlyWhileInactive() && queue.consumerCount() == 0) {
            return false;
        }
        return selector == null || selector.matches(new MessageSelectorContext(message));
    }

    String selectorText() {
        return selector == null ? null : selector.text();
    }
}
