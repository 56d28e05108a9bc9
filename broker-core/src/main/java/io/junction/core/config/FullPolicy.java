package io.junction.core.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What happens to further messages for a destination that holds its memory limit's worth in memory. */
public enum FullPolicy {
    /** They are written to page files on disk and read back in order as consumers drain the destination. */
    PAGE("page"),
    /** Its producers wait, through credit or TCP back-pressure, until consumers make room. */
    BLOCK("block"),
    /** Sends to it are refused with an error. */
    FAIL("fail"),
    /** The oldest messages in memory are discarded to make room. */
    DROP_OLDEST("dropOldest"),
    ;

    /** The names written in {@code conf/broker.yaml}, for messages. */
    static final String NAMES = Arrays.stream(values()).map(FullPolicy::yamlName).collect(Collectors.joining(", "));

    private final String yamlName;

    FullPolicy(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The name written in {@code conf/broker.yaml}, e.g. {@code dropOldest}. */
    public String yamlName() {
        return yamlName;
    }

    static Optional<FullPolicy> byYamlName(String name) {
        return Arrays.stream(values()).filter(policy -> policy.yamlName.equals(name)).findFirst();
    }
}
