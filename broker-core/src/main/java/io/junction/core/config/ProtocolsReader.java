package io.junction.core.config;

import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.Setting;
import java.time.Duration;
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
    private static final String TO_MAX_MESSAGE_SIZE = "listeners[].maxMessageSize, one limit for every protocol "
            + "of a listener (10MB unless the listener gives another)";
    private static final Map<String, Map<String, String>> MOVED = Map.of(
            "mqtt", Map.of("maxPacketSize", TO_MAX_MESSAGE_SIZE),
            "stomp", Map.of("maxFrameSize", TO_MAX_MESSAGE_SIZE),
            "openwire", Map.of("maxFrameSize", TO_MAX_MESSAGE_SIZE));

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
        YamlMap section = protocols.map(module, declared.stream().map(Setting::key).toList(), "key",
                MOVED.getOrDefault(module, Map.of()));
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
