package io.junction.core.config;

import io.junction.core.spi.Setting;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads {@code conf/broker.yaml}. The YAML is composed into nodes rather than plain maps so that
 * every problem can name its line; see {@link ConfigException} for the message format.
 */
public final class ConfigLoader {

    static final List<String> SECTIONS =
            List.of("broker", "listeners", "protocols", "store", "memory", "destinations", "security");
    static final List<String> BROKER_KEYS = List.of("name", "dataDirectory", "shutdownTimeout");
    static final List<String> MEMORY_KEYS = List.of("maxBrokerMemory", "maxScheduledMessages");
    /** The {@code maxBrokerMemory} value that sizes the limit from the heap; see {@link MemoryConfig#defaults()}. */
    static final String AUTO = "auto";

    private ConfigLoader() {
    }

    /**
     * Loads and validates the file, with {@code ${NAME}} references taken from the process environment.
     *
     * @param file            the config file; its name as given here appears in messages
     * @param home            the broker home, which a relative {@code dataDirectory} resolves against
     * @param protocolModules every installed protocol module's name and declared settings
     * @throws ConfigException for a missing or unreadable file and for any invalid content
     */
    public static BrokerConfig load(Path file, Path home, Map<String, List<Setting<?>>> protocolModules) {
        return load(file, home, protocolModules, System::getenv);
    }

    /**
     * Like {@link #load(Path, Path, Map)}, with {@code ${NAME}} references resolved by {@code environment},
     * which returns null for an unset variable.
     */
    public static BrokerConfig load(Path file, Path home, Map<String, List<Setting<?>>> protocolModules,
                                    Function<String, String> environment) {
        String text = read(file);
        YamlSource source = new YamlSource(file.toString(), environment);
        YamlMap root = YamlMap.of(source, compose(file.toString(), text), "", SECTIONS);
        // Sorted, so that hints list the modules in the same order whatever order they were found in.
        List<String> installed = protocolModules.keySet().stream().sorted().toList();
        return new BrokerConfig(
                readBroker(root.map("broker", BROKER_KEYS), home),
                ListenersReader.read(root, installed, file.toAbsolutePath().getParent()),
                ProtocolsReader.read(root, installed, protocolModules),
                DestinationsReader.read(root),
                StoreReader.read(root),
                readMemory(root.map("memory", MEMORY_KEYS)),
                SecurityReader.read(root, file.toAbsolutePath().getParent()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.notFound(file);
        } catch (MalformedInputException e) {
            throw ConfigException.at(file.toString(), 0, "the file is not valid UTF-8", null);
        } catch (IOException e) {
            throw ConfigException.unreadable(file, e);
        }
    }

    /** The document's root node; an empty document (or one of only comments) reads as an empty value. */
    static Node compose(String label, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).build();
        try {
            return new Compose(settings).composeString(text)
                    .orElseGet(() -> new ScalarNode(Tag.NULL, "", ScalarStyle.PLAIN));
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            int line = mark.map(m -> m.getLine() + 1).orElse(0);
            String column = mark.map(m -> "column " + (m.getColumn() + 1)).orElse(null);
            // The context ("while scanning a quoted scalar") is what makes many problems understandable.
            String problem = e.getContext() == null ? e.getProblem()
                    : e.getProblem() == null ? e.getContext() : e.getContext() + ", " + e.getProblem();
            throw ConfigException.at(label, line, "invalid YAML: " + problem, column);
        } catch (ReaderException e) {
            throw ConfigException.at(label, lineAt(text, e.getPosition()),
                    String.format("invalid YAML: character U+%04X is not allowed", e.getCodePoint()), null);
        } catch (YamlEngineException e) {
            throw ConfigException.at(label, 0, "invalid YAML: " + e.getMessage(), null);
        }
    }

    private static int lineAt(String text, int position) {
        return (int) text.substring(0, Math.min(position, text.length())).chars().filter(c -> c == '\n').count() + 1;
    }

    private static BrokerSettings readBroker(YamlMap section, Path home) {
        BrokerSettings defaults = BrokerSettings.defaults(home);
        return new BrokerSettings(
                section.scalar("name").map(Scalar::nonEmpty).orElse(defaults.name()),
                section.scalar("dataDirectory").map(value -> home.resolve(path(value))).orElse(defaults.dataDirectory()),
                section.scalar("shutdownTimeout").map(value -> value.asDuration(Duration.ZERO))
                        .orElse(defaults.shutdownTimeout()));
    }

    private static MemoryConfig readMemory(YamlMap section) {
        MemoryConfig memory = section.scalar("maxBrokerMemory").map(ConfigLoader::maxBrokerMemory)
                .orElseGet(MemoryConfig::defaults);
        long scheduled = section.scalar("maxScheduledMessages")
                .map(value -> value.asWholeNumber(1, Long.MAX_VALUE, "a whole number of at least 1"))
                .orElse(MemoryConfig.DEFAULT_MAX_SCHEDULED_MESSAGES);
        return new MemoryConfig(memory.maxBrokerMemory(), scheduled);
    }

    private static MemoryConfig maxBrokerMemory(Scalar value) {
        if (value.text().equals(AUTO)) {
            return MemoryConfig.defaults();
        }
        long bytes = Units.parseSize(value.text())
                .filter(size -> size >= MemoryConfig.MIN_MAX_BROKER_MEMORY)
                .orElseThrow(() -> value.invalid(AUTO + " or a size of at least "
                        + Units.formatSize(MemoryConfig.MIN_MAX_BROKER_MEMORY)));
        return new MemoryConfig(bytes);
    }

    private static Path path(Scalar value) {
        try {
            return Path.of(value.nonEmpty());
        } catch (InvalidPathException e) {
            throw value.invalid("a file system path", e.getReason());
        }
    }
}
