package io.junction.core.model;

import java.util.Objects;

/**
 * A queue or a topic, named with {@code .}-separated words. Topic subscriptions may use the
 * wildcards {@code *} (one word) and {@code >} (the rest); sends may not.
 *
 * <p>A name that contains commas is a composite: each part is a member destination, optionally
 * prefixed with {@code queue://} or {@code topic://} (otherwise it takes this destination's type),
 * as in ActiveMQ.
 */
public record Destination(DestinationType type, String name) {

    public static final String ANY_WORD = "*";
    public static final String ANY_REST = ">";

    public Destination {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static Destination queue(String name) {
        return new Destination(DestinationType.QUEUE, name);
    }

    public static Destination topic(String name) {
        return new Destination(DestinationType.TOPIC, name);
    }

    /**
     * Parses the {@link #toString()} form ({@code queue://a}, {@code topic://a.b}, ...). A name
     * without a prefix is taken as {@code defaultType}.
     */
    public static Destination parse(String text, DestinationType defaultType) {
        for (DestinationType t : DestinationType.values()) {
            if (text.startsWith(t.prefix())) {
                return new Destination(t, text.substring(t.prefix().length()));
            }
        }
        return new Destination(defaultType, text);
    }

    public boolean isTopic() {
        return type.isTopic();
    }

    public boolean isTemporary() {
        return type.isTemporary();
    }

    public boolean isComposite() {
        return name.indexOf(',') >= 0;
    }

    /** True when a word of the name is a wildcard. */
    public boolean isWildcard() {
        for (String word : name.split("\\.", -1)) {
            if (word.equals(ANY_WORD) || word.equals(ANY_REST)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return type.prefix() + name;
    }
}
