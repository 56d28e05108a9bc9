package io.junction.core.model;

/** The two routing kinds of the addressing model, plus their connection-scoped temporary forms. */
public enum DestinationType {
    QUEUE("queue://", false, false),
    TOPIC("topic://", true, false),
    TEMP_QUEUE("temp-queue://", false, true),
    TEMP_TOPIC("temp-topic://", true, true);

    private final String prefix;
    private final boolean multicast;
    private final boolean temporary;

    DestinationType(String prefix, boolean multicast, boolean temporary) {
        this.prefix = prefix;
        this.multicast = multicast;
        this.temporary = temporary;
    }

    /** The URI-like prefix used in logs, dead-letter properties and composite names. */
    public String prefix() {
        return prefix;
    }

    /** Topics copy each message to every matching subscription; queues give it to one consumer. */
    public boolean isTopic() {
        return multicast;
    }

    public boolean isTemporary() {
        return temporary;
    }
}
