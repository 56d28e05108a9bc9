package io.junction.core.config;

/**
 * The {@code memory} section.
 *
 * @param maxBrokerMemory message bytes held in memory across all destinations; past it, messages are
 *                        paged to disk (or their destinations' full policies apply) even when each
 *                        destination is under its own limit
 */
public record MemoryConfig(long maxBrokerMemory) {

    /** The least {@code maxBrokerMemory} the file may give; {@code auto} is not held to it. */
    public static final long MIN_MAX_BROKER_MEMORY = 1024L * 1024;

    public MemoryConfig {
        if (maxBrokerMemory <= 0) {
            throw new IllegalArgumentException("maxBrokerMemory must be positive, was " + maxBrokerMemory);
        }
    }

    /** {@code maxBrokerMemory: auto}: a quarter of the largest heap this JVM may use. */
    public static MemoryConfig defaults() {
        return new MemoryConfig(Runtime.getRuntime().maxMemory() / 4);
    }
}
