package io.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The resolved delivery settings of a destination: a policy's values with the built-in default
 * for each field the policy leaves out.
 *
 * @param maxRedeliveries          deliveries after the first before the message goes to the dead-letter
 *                                 queue; {@link #UNLIMITED} never dead-letters
 * @param redeliveryDelay          wait before a rejected or unacknowledged message is offered again
 * @param deadLetterQueue          the dead-letter queue, or the prefix of per-destination ones
 * @param deadLetterPerDestination true sends dead letters to {@code <deadLetterQueue>.<destination name>}
 * @param expiry                   what happens to expired messages
 * @param expiryQueue              where expired messages go when {@code expiry} is {@link ExpiryAction#EXPIRY_QUEUE}
 * @param memoryLimit              message bytes the destination holds in memory before {@code fullPolicy} applies
 * @param fullPolicy               what happens to further messages once {@code memoryLimit} is reached
 */
public record PolicyValues(int maxRedeliveries, Duration redeliveryDelay, String deadLetterQueue,
                           boolean deadLetterPerDestination, ExpiryAction expiry, String expiryQueue,
                           long memoryLimit, FullPolicy fullPolicy) {

    public static final int UNLIMITED = -1;
    public static final long DEFAULT_MEMORY_LIMIT = 32L * 1024 * 1024;
    public static final long MIN_MEMORY_LIMIT = 64L * 1024;

    public static final PolicyValues DEFAULTS = new PolicyValues(6, Duration.ZERO, "DLQ", false, ExpiryAction.DROP,
            "ExpiryQueue", DEFAULT_MEMORY_LIMIT, FullPolicy.PAGE);

    public PolicyValues {
        if (maxRedeliveries < UNLIMITED) {
            throw new IllegalArgumentException("maxRedeliveries must be >= 0 or -1 for unlimited, was " + maxRedeliveries);
        }
        Objects.requireNonNull(redeliveryDelay, "redeliveryDelay");
        Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(expiryQueue, "expiryQueue");
        if (memoryLimit < MIN_MEMORY_LIMIT) {
            throw new IllegalArgumentException("memoryLimit must be at least 64KB, was " + memoryLimit);
        }
        Objects.requireNonNull(fullPolicy, "fullPolicy");
    }

    /** The dead-letter queue for messages that failed on {@code destinationName}. */
    public String deadLetterQueueFor(String destinationName) {
        return deadLetterPerDestination ? deadLetterQueue + "." + destinationName : deadLetterQueue;
    }
}
