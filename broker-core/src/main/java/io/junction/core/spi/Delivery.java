package io.junction.core.spi;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;

/**
 * One message handed to one consumer.
 *
 * @param id            the consumer-scoped id to acknowledge it with
 * @param message       the message, shared with other queues; read only
 * @param destination   where this copy was addressed: the queue, or the topic a subscription
 *                      matched (for a composite send, the member, not the whole list)
 * @param deliveryCount how many times this queue has delivered it before (0 on the first delivery)
 * @param redelivered   it may have been delivered before and not acknowledged (JMSRedelivered): a
 *                      redelivery, or a message recovered from the store after a restart
 */
public record Delivery(long id, Message message, Destination destination, int deliveryCount, boolean redelivered) {
}
