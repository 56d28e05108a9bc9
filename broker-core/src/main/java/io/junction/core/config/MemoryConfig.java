package io.junction.core.config;

/**
 * The {@code memory} section.
 *
 * @param maxBrokerMemory      message bytes held in memory across all destinations; past it, messages
 *                             are paged to disk (or their destinations' full policies apply) even when
 *                             each destination is under its own limit
 * @param maxScheduledMessages scheduled messages that may wait for delivery at once; past it,
 *                             scheduled sends are refused (each keeps at least its schedule in memory)
 */
public record MemoryConfig(long maxBrokerMemory, long maxScheduledMessages) {

    /** The least {@code maxBrokerMemory} the file may give; {@code auto} is not held to it. */
    public static final long MIN_MAX_BROKER_MEMORY = 1024L * 1024;
    public static final long DEFAULT_MAX_SCHEDULED_MESSAGES = 100_000;

    public MemoryConfig {
        if (maxBrokerMemory <= 0) {
            throw new IllegalArgumentException("maxBrokerMemory must be positive, was " + maxBrokerMemory);
        }
        if (maxScheduledMessages <= 0) {
            throw new IllegalArgumentException("maxScheduledMessages must be positive, was " + maxScheduledMessages);
        }
    }

    /** The given broker memory, with the default limit on scheduled messages. */
    public MemoryConfig(long maxBrokerMemory) {
        this(maxBrokerMemory, DEFAULT_MAX_SCHEDULED_MESSAGES);
    }

    /** {@code maxBrokerMemory: auto}: a quarter of the largest heap this JVM may use. */
    public static MemoryConfig defaults() {
        return new MemoryConfig(Runtime.getRuntime().maxMemory() / 4);
    }
}
