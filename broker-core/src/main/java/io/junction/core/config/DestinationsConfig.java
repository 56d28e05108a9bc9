package io.junction.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code destinations} section.
 *
 * @param expiryScanInterval how often stored messages are checked for expiry
 * @param policies           in file order; the first that matches a destination applies
 */
public record DestinationsConfig(boolean autoCreateQueues, boolean autoCreateTopics, Duration expiryScanInterval,
                                 List<DestinationPolicy> policies, List<CompositeConfig> composites) {

    public static final Duration DEFAULT_EXPIRY_SCAN_INTERVAL = Duration.ofSeconds(1);
    /** Scanning more often than this costs more than the precision is worth. */
    public static final Duration MIN_EXPIRY_SCAN_INTERVAL = Duration.ofMillis(100);

    public static final DestinationsConfig DEFAULTS =
            new DestinationsConfig(true, true, DEFAULT_EXPIRY_SCAN_INTERVAL, List.of(), List.of());

    public DestinationsConfig {
        Objects.requireNonNull(expiryScanInterval, "expiryScanInterval");
        policies = List.copyOf(policies);
        composites = List.copyOf(composites);
    }

    /** The first policy that matches, or {@link DestinationPolicy#DEFAULT}. */
    public DestinationPolicy policyFor(String name, boolean isTopic) {
        return policies.stream()
                .filter(policy -> policy.matches(name, isTopic))
                .findFirst()
                .orElse(DestinationPolicy.DEFAULT);
    }

    /** Whether the destination may be created on first use: the matching policy decides, else the global flag. */
    public boolean autoCreate(String name, boolean isTopic) {
        return policyFor(name, isTopic).autoCreate().orElse(isTopic ? autoCreateTopics : autoCreateQueues);
    }
}
