package io.junction.core.config;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import java.util.List;
import java.util.Objects;

/**
 * A destination declared in {@code destinations.composites}: a send to it is fanned out to every target.
 *
 * @param type    {@link DestinationType#QUEUE} or {@link DestinationType#TOPIC}
 * @param targets plain (non-wildcard, non-temporary) destinations, at least one
 */
public record CompositeConfig(String name, DestinationType type, List<Destination> targets) {

    public CompositeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("composite '" + name + "' needs at least one target");
        }
    }

    /** The composite itself as a destination, which producers send to. */
    public Destination destination() {
        return new Destination(type, name);
    }
}
