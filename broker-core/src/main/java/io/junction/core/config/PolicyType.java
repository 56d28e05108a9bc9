package io.junction.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which kind of destination a policy applies to. */
public enum PolicyType {
    ANY,
    QUEUE,
    TOPIC,
    ;

    static final String NAMES = "any, queue, topic";

    public boolean covers(boolean isTopic) {
        return this == ANY || (this == TOPIC) == isTopic;
    }

    static Optional<PolicyType> byYamlName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().toLowerCase(Locale.ROOT).equals(name)).findFirst();
    }
}
