package io.junction.server;

import io.junction.core.boot.JunctionServer;
import io.junction.core.config.BrokerConfig;
import io.junction.core.config.ConfigException;
import io.junction.core.config.ConfigLoader;
import io.junction.core.spi.ProtocolModule;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options every command shares: where the configuration is, and overrides of it. */
final class BrokerOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $JUNCTION_HOME/conf/broker.yaml).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory, overriding broker.dataDirectory.")
    Path dataDirectory;

    @Option(names = "--port", paramLabel = "LISTENER=PORT",
            description = "Port of a listener, overriding its configured port; 0 picks a free one. Repeatable.")
    Map<String, Integer> ports = new LinkedHashMap<>();

    /** The installation directory: bin/junction sets junction.home; otherwise the working directory. */
    static Path home() {
        String home = System.getProperty("junction.home");
        return (home == null ? Paths.get("") : Paths.get(home)).toAbsolutePath().normalize();
    }

    Path configFile() {
        return config != null ? config : home().resolve("conf").resolve("broker.yaml");
    }

    /** Loads and validates the configuration with the overrides applied. */
    BrokerConfig load(Map<String, ProtocolModule> modules) {
        BrokerConfig loaded;
        try {
            loaded = ConfigLoader.load(configFile(), home(), JunctionServer.settingsOf(modules));
        } catch (ConfigException e) {
            throw new CommandFailure(e.getMessage(), 2);
        }
        if (dataDirectory != null) {
            loaded = loaded.withDataDirectory(home().resolve(dataDirectory));
        }
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            try {
                loaded = loaded.withListenerPort(port.getKey(), port.getValue());
            } catch (IllegalArgumentException e) {
                throw new CommandFailure("--port " + port.getKey() + "=" + port.getValue() + ": " + e.getMessage(), 2);
            }
        }
        return loaded;
    }

    Path pidFile(BrokerConfig config) {
        return config.broker().dataDirectory().resolve("junction.pid");
    }
}
