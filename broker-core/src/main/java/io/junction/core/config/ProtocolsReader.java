package io.junction.core.config;

import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code protocols.<module>} sections against the settings each installed module declares. */
final class ProtocolsReader {

    /**
     * Keys that protocol sections had and no longer have, by module, with where the setting went. A
     * file that still gives one is refused with that, not as an unknown key.
     */
    private static final Map<String, Map<String, String>> MOVED = Map.of(
            "mqtt", Map.of("maxPacketSize", "listeners[].maxMessageSize"),
            "stomp", Map.of("maxFrameSize", "listeners[].maxMessageSize"),
            "openwire", Map.of("maxFrameSize", "listeners[].maxMessageSize"));

    private ProtocolsReader() {
    }

    /**
     * Settings for every installed module; a module without a section gets its defaults.
     *
     * @param installed the module names, in the order hints list them
     */
    static Map<String, ProtocolSettings> read(YamlMap root, List<String> installed,
                                             Map<String, List<Setting<?>>> modules) {
        YamlMap section = root.map("protocols", installed, "protocol module");
        Map<String, ProtocolSettings> settings = new LinkedHashMap<>();
        modules.forEach((module, declared) -> settings.put(module, readModule(section, module, declared)));
        return settings;
    }

    private static ModuleSettings readModule(YamlMap protocols, String module, List<Setting<?>> declared) {
        Map<String, String> moved = MOVED.getOrDefault(module, Map.of());
        List<String> known = new ArrayList<>(declared.stream().map(Setting::key).toList());
        known.addAll(moved.keySet());
        YamlMap section = protocols.map(module, known);
        moved.forEach((key, target) -> {
            if (section.has(key)) {
                throw section.error(key, "'" + key + "' of protocols." + module + " has moved to " + target
                        + ", one limit for every protocol of a listener", "remove it and set maxMessageSize on the "
                        + "listeners instead (default 10MB)");
            }
        });
        Map<String, Object> values = new HashMap<>();
        for (Setting<?> setting : declared) {
            section.scalar(setting.key()).ifPresent(value -> values.put(setting.key(), parse(value, setting)));
        }
        return new ModuleSettings(module, declared, values);
    }

    private static Object parse(Scalar value, Setting<?> setting) {
        long min = setting.min();
        return switch (setting.kind()) {
            case INT -> value.asInt(min);
            case LONG -> value.asWholeNumber(min, Long.MAX_VALUE, "a whole number of at least " + min);
            case BOOLEAN -> value.asBoolean();
            case STRING -> value.text();
            case DURATION -> value.asDuration(Duration.ofMillis(min));
            case SIZE -> value.asSize(min);
        };
    }
}
