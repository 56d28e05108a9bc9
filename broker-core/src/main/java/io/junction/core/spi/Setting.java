package io.junction.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One key of a protocol module's section in {@code conf/broker.yaml}
 * ({@code protocols.<module>.<key>}), declared once with its type, default and documentation.
 * The config loader validates the section against these declarations, so a typo or a bad value
 * stops start-up with the file and line.
 *
 * @param key          the YAML key, camelCase
 * @param kind         how the YAML value is read
 * @param defaultValue the value used when the key is absent
 * @param min          the smallest accepted value for numeric kinds (INT, LONG, SIZE: the number;
 *                     DURATION: milliseconds); ignored for the others
 * @param doc          one sentence for the configuration reference
 */
public record Setting<T>(String key, Kind kind, T defaultValue, long min, String doc) {

    /** The value kinds a setting can have and the Java type each is read as. */
    public enum Kind {
        /** Integer. */
        INT(Integer.class),
        /** Long. */
        LONG(Long.class),
        /** Boolean: true/false. */
        BOOLEAN(Boolean.class),
        /** String. */
        STRING(String.class),
        /** Duration written as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 4d}, or plain milliseconds. */
        DURATION(Duration.class),
        /** Byte size written as {@code 512}, {@code 64KB}, {@code 10MB}, {@code 1GB}; read as Long bytes. */
        SIZE(Long.class);

        private final Class<?> javaType;

        Kind(Class<?> javaType) {
            this.javaType = javaType;
        }

        public Class<?> javaType() {
            return javaType;
        }
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultValue, "defaultValue");
        if (!kind.javaType().isInstance(defaultValue)) {
            throw new IllegalArgumentException("default of " + key + " must be " + kind.javaType().getSimpleName());
        }
    }

    public static Setting<Integer> ofInt(String key, int defaultValue, int min, String doc) {
        return new Setting<>(key, Kind.INT, defaultValue, min, doc);
    }

    public static Setting<Boolean> ofBoolean(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, Kind.BOOLEAN, defaultValue, 0, doc);
    }

    public static Setting<String> ofString(String key, String defaultValue, String doc) {
        return new Setting<>(key, Kind.STRING, defaultValue, 0, doc);
    }

    public static Setting<Duration> ofDuration(String key, Duration defaultValue, Duration min, String doc) {
        return new Setting<>(key, Kind.DURATION, defaultValue, min.toMillis(), doc);
    }

    public static Setting<Long> ofSize(String key, long defaultBytes, long minBytes, String doc) {
        return new Setting<>(key, Kind.SIZE, defaultBytes, minBytes, doc);
    }
}
