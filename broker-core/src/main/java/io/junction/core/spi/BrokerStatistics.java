package io.junction.core.spi;

/**
 * Broker-wide counters, read at one moment, for a protocol's status topics.
 *
 * @param startedAt         when the broker started, epoch milliseconds
 * @param connections       client connections open now, all protocols
 * @param messagesReceived  messages sent to the broker since it started
 * @param messagesDelivered deliveries to consumers since it started (a redelivery counts again)
 * @param messagesDropped   copies a full bounded subscription did not take, since it started
 * @param retainedMessages  retained messages kept now
 * @param subscriptions     topic subscriptions now: non-durable, durable and shared
 */
public record BrokerStatistics(long startedAt, int connections, long messagesReceived, long messagesDelivered,
                               long messagesDropped, int retainedMessages, int subscriptions) {
}
