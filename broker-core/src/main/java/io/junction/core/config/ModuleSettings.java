package io.junction.core.config;

import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.Setting;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A protocol module's section {@code protocols.<module>}: a value for every setting the module
 * declared, the configured one or else the default.
 *
 * @param declared the module's settings
 * @param values   setting key to value, complete: keys missing from the given map take their default
 */
public record ModuleSettings(String module, List<Setting<?>> declared, Map<String, Object> values)
        implements ProtocolSettings {

    public ModuleSettings {
        Objects.requireNonNull(module, "module");
        declared = List.copyOf(declared);
        Map<String, Object> complete = new LinkedHashMap<>();
        for (Setting<?> setting : declared) {
            Object value = values.getOrDefault(setting.key(), setting.defaultValue());
            if (!setting.kind().javaType().isInstance(value)) {
                throw new IllegalArgumentException("value of " + module + "." + setting.key() + " must be "
                        + setting.kind().javaType().getSimpleName() + ", was " + value);
            }
            complete.put(setting.key(), value);
        }
        if (!complete.keySet().containsAll(values.keySet())) {
            throw new IllegalArgumentException("module " + module + " declares only " + complete.keySet()
                    + ", given " + values.keySet());
        }
        values = Collections.unmodifiableMap(complete);
    }

    /** Every declared setting at its default. */
    public static ModuleSettings defaults(String module, List<Setting<?>> declared) {
        return new ModuleSettings(module, declared, Map.of());
    }

    @Override
    public <T> T get(Setting<T> setting) {
        // Comparing whole declarations, not keys, catches a module reading a setting it redeclared differently.
        if (!declared.contains(setting)) {
            throw new IllegalArgumentException("protocol module '" + module + "' did not declare setting '"
                    + setting.key() + "' (declared: "
                    + declared.stream().map(Setting::key).collect(Collectors.joining(", ")) + ")");
        }
        @SuppressWarnings("unchecked") // the Setting constructor ties T to the kind's Java type, checked above
        T value = (T) values.get(setting.key());
        return value;
    }
}
