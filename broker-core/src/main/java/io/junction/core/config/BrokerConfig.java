package io.junction.core.config;

import io.junction.core.spi.ProtocolSettings;
import io.junction.core.spi.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The whole of {@code conf/broker.yaml}, validated, with defaults filled in.
 *
 * @param listeners in file order
 * @param protocols every installed protocol module's settings, by module name
 */
public record BrokerConfig(BrokerSettings broker, List<ListenerConfig> listeners,
                           Map<String, ProtocolSettings> protocols, DestinationsConfig destinations,
                           StoreConfig store, MemoryConfig memory, SecurityConfig security) {

    public BrokerConfig {
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(broker, "broker");
        listeners = List.copyOf(listeners);
        protocols = Map.copyOf(protocols);
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(memory, "memory");
    }

    /**
     * The configuration of an empty file.
     *
     * @param home    the broker home, which a relative data directory resolves against
     * @param modules the installed protocol modules and their declared settings
     * @throws IllegalArgumentException when the STOMP module that the default listener serves is not installed
     */
    public static BrokerConfig defaults(Path home, Map<String, List<Setting<?>>> modules) {
        ListenerConfig.defaultProtocolMissingFrom(modules.keySet()).ifPresent(protocol -> {
            throw new IllegalArgumentException("the default listener serves protocol '" + protocol
                    + "', which is not installed (installed: " + String.join(", ", modules.keySet()) + ")");
        });
        return new BrokerConfig(BrokerSettings.defaults(home), ListenerConfig.defaultsFor(modules.keySet()),
                defaultProtocols(modules), DestinationsConfig.DEFAULTS, StoreConfig.DEFAULTS, MemoryConfig.defaults(),
                SecurityConfig.defaults(home.resolve("conf")));
    }

    /**
     * The same configuration with one listener moved to another port, e.g. 0 for tests or a
     * command-line override.
     *
     * @throws IllegalArgumentException when there is no such listener or the port is out of range
     */
    public BrokerConfig withListenerPort(String listenerName, int port) {
        if (listeners.stream().noneMatch(listener -> listener.name().equals(listenerName))) {
            throw new IllegalArgumentException("unknown listener '" + listenerName + "' (known listeners: "
                    + listeners.stream().map(ListenerConfig::name).collect(Collectors.joining(", ")) + ")");
        }
        List<ListenerConfig> changed = new ArrayList<>();
        for (ListenerConfig listener : listeners) {
            changed.add(listener.name().equals(listenerName) ? listener.withPort(port) : listener);
        }
        return new BrokerConfig(broker, changed, protocols, destinations, store, memory, security);
    }

    public BrokerConfig withDataDirectory(Path directory) {
        return new BrokerConfig(broker.withDataDirectory(directory), listeners, protocols, destinations, store,
                memory, security);
    }

    public BrokerConfig withSecurity(SecurityConfig newSecurity) {
        return new BrokerConfig(broker, listeners, protocols, destinations, store, memory, newSecurity);
    }

    private static Map<String, ProtocolSettings> defaultProtocols(Map<String, List<Setting<?>>> modules) {
        Map<String, ProtocolSettings> settings = new LinkedHashMap<>();
        modules.forEach((module, declared) -> settings.put(module, ModuleSettings.defaults(module, declared)));
        return settings;
    }
}
