package io.junction.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What producers of persistent messages get when the store may not grow: {@code store.maxDiskUsage}
 * is reached or the disk itself is full.
 */
public enum DiskFullPolicy {
    /** Producers wait, through credit or TCP back-pressure, until space returns. */
    BLOCK,
    /** Sends are refused with an error that says the disk is full. */
    FAIL,
    ;

    /** The names written in {@code conf/broker.yaml}, for messages. */
    static final String NAMES =
            Arrays.stream(values()).map(DiskFullPolicy::yamlName).collect(Collectors.joining(", "));

    /** The name written in {@code conf/broker.yaml}: {@code block} or {@code fail}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<DiskFullPolicy> byYamlName(String name) {
        return Arrays.stream(values()).filter(policy -> policy.yamlName().equals(name)).findFirst();
    }
}
