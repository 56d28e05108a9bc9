package io.junction.core.config;

import io.junction.core.store.journal.FsyncPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads the {@code store} section. */
final class StoreReader {

    static final List<String> KEYS =
            List.of("fsync", "fsyncInterval", "segmentSize", "compactBelow", "maxDiskUsage", "diskFullPolicy");

    private static final String FSYNC_NAMES =
            Arrays.stream(FsyncPolicy.values()).map(StoreReader::yamlName).collect(Collectors.joining(", "));
    private static final String PERCENT_FORM = "a percentage from " + StoreConfig.MIN_COMPACT_BELOW_PERCENT
            + " to " + StoreConfig.MAX_COMPACT_BELOW_PERCENT;

    private StoreReader() {
    }

    static StoreConfig read(YamlMap root) {
        YamlMap section = root.map("store", KEYS);
        StoreConfig defaults = StoreConfig.DEFAULTS;
        long segmentSize = section.scalar("segmentSize")
                .map(value -> value.asSize(StoreConfig.MIN_SEGMENT_SIZE, StoreConfig.MAX_SEGMENT_SIZE))
                .orElse(defaults.segmentSize());
        return new StoreConfig(
                section.scalar("fsync").map(value -> value.asChoice(StoreReader::fsyncPolicy, FSYNC_NAMES))
                        .orElse(defaults.fsync()),
                section.scalar("fsyncInterval").map(value -> value.asDuration(StoreConfig.MIN_FSYNC_INTERVAL))
                        .orElse(defaults.fsyncInterval()),
                segmentSize,
                section.scalar("compactBelow")
                        .map(value -> (int) value.asWholeNumber(StoreConfig.MIN_COMPACT_BELOW_PERCENT,
                                StoreConfig.MAX_COMPACT_BELOW_PERCENT, PERCENT_FORM))
                        .orElse(defaults.compactBelowPercent()),
                section.scalar("maxDiskUsage").map(value -> maxDiskUsage(value, segmentSize))
                        .orElse(defaults.maxDiskUsage()),
                section.scalar("diskFullPolicy")
                        .map(value -> value.asChoice(DiskFullPolicy::byYamlName, DiskFullPolicy.NAMES))
                        .orElse(defaults.diskFullPolicy()));
    }

    // A limit below one segment would refuse every persistent message, since segments are pre-allocated.
    private static long maxDiskUsage(Scalar value, long segmentSize) {
        long bytes = value.asSize(StoreConfig.NO_DISK_LIMIT);
        if (bytes != StoreConfig.NO_DISK_LIMIT && bytes < segmentSize) {
            throw value.invalid("0 (no limit) or a size of at least one segment (segmentSize "
                    + Units.formatSize(segmentSize) + ")");
        }
        return bytes;
    }

    private static Optional<FsyncPolicy> fsyncPolicy(String name) {
        return Arrays.stream(FsyncPolicy.values()).filter(policy -> yamlName(policy).equals(name)).findFirst();
    }

    private static String yamlName(FsyncPolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }
}
