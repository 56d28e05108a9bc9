package io.junction.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code destinations.policies}: the destinations it matches and the values it sets.
 *
 * @param match      a pattern with {@code *} (one word) and {@code >} (the remaining words)
 * @param autoCreate whether matching destinations are created on first use; empty defers to
 *                   {@code autoCreateQueues} / {@code autoCreateTopics}
 * @param values     the policy's values, with built-in defaults for those it does not set
 */
public record DestinationPolicy(String match, PolicyType type, Optional<Boolean> autoCreate, PolicyValues values) {

    /** What applies to a destination no policy matches. */
    public static final DestinationPolicy DEFAULT =
            new DestinationPolicy(DestinationNames.ANY_REST, PolicyType.ANY, Optional.empty(), PolicyValues.DEFAULTS);

    public DestinationPolicy {
        Objects.requireNonNull(match, "match");
        DestinationNames.patternProblem(match).ifPresent(problem -> {
            throw new IllegalArgumentException("invalid policy pattern '" + match + "': " + problem);
        });
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(autoCreate, "autoCreate");
        Objects.requireNonNull(values, "values");
    }

    /** True when this policy applies to the destination: its kind is covered and its name matches the pattern. */
    public boolean matches(String destinationName, boolean isTopic) {
        return type.covers(isTopic) && DestinationNames.matches(match, destinationName);
    }
}
