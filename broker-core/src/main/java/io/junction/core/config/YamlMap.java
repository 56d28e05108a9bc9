package io.junction.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A mapping of the file whose keys have been checked: every key is known and given once.
 * Reading a key that is absent yields its default at the call site; reading a key with a value
 * of the wrong shape fails at the value's line.
 */
final class YamlMap {

    private final YamlSource source;
    /** The mapping itself, or the nearest enclosing node when the section is absent or empty. */
    private final Node node;
    /** Where the mapping is, for messages: {@code listeners[0]}, {@code protocols.stomp}, or "" at the top. */
    private final String path;
    private final Map<String, NodeTuple> entries;

    private YamlMap(YamlSource source, Node node, String path, Map<String, NodeTuple> entries) {
        this.source = source;
        this.node = node;
        this.path = path;
        this.entries = entries;
    }

    /** Reads a mapping whose keys must be among {@code known}; an empty value reads as an empty mapping. */
    static YamlMap of(YamlSource source, Node node, String path, Collection<String> known) {
        return of(source, node, path, known, "key");
    }

    /**
     * Like {@link #of(YamlSource, Node, String, Collection)}, naming the keys {@code noun} in
     * messages ("unknown protocol module 'stmp'").
     */
    static YamlMap of(YamlSource source, Node node, String path, Collection<String> known, String noun) {
        return of(source, node, path, known, noun, Map.of());
    }

    /**
     * Like {@link #of(YamlSource, Node, String, Collection, String)}; a key of {@code moved} is refused
     * with where it went (the text after "has moved to") rather than as unknown.
     */
    static YamlMap of(YamlSource source, Node node, String path, Collection<String> known, String noun,
                      Map<String, String> moved) {
        if (YamlSource.isNull(node)) {
            return new YamlMap(source, node, path, Map.of());
        }
        if (!(node instanceof MappingNode mapping)) {
            throw source.error(node, describe(path) + " must be a mapping of keys to values",
                    "known " + noun + "s: " + String.join(", ", known));
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw source.error(keyNode, "a key " + where(path) + " is not a plain name");
            }
            String key = keyScalar.getValue();
            NodeTuple first = entries.putIfAbsent(key, tuple);
            if (first != null) {
                throw source.error(keyNode, "duplicate key '" + key + "' " + where(path),
                        "first given on line " + YamlSource.line(first.getKeyNode()));
            }
            if (!known.contains(key) && moved.containsKey(key)) {
                throw source.error(keyNode, "'" + key + "' " + where(path) + " has moved to " + moved.get(key));
            }
            if (!known.contains(key)) {
                throw source.error(keyNode, "unknown " + noun + " '" + key + "' " + where(path),
                        DidYouMean.hint(key, known, "known " + noun + "s"));
            }
        }
        return new YamlMap(source, node, path, entries);
    }

    Node node() {
        return node;
    }

    /** How messages name this mapping: {@code listeners[0]}, or {@code the top level}. */
    String describe() {
        return describe(path);
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Optional<Node> value(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
    }

    /** The key's value as a single scalar; absent when the key is. */
    Optional<Scalar> scalar(String key) {
        return value(key).map(value -> toScalar(value, key));
    }

    Scalar required(String key) {
        return scalar(key).orElseThrow(() -> missing(key));
    }

    ConfigException missing(String key) {
        return error(describe(path) + " is missing required key '" + key + "'", null);
    }

    /** An error at this mapping's line, for problems that concern the mapping as a whole. */
    ConfigException error(String problem, String hint) {
        return source.error(node, problem, hint);
    }

    /** An error at the line of the key's value, or of this mapping when the key is absent. */
    ConfigException error(String key, String problem, String hint) {
        return source.error(value(key).orElse(node), problem, hint);
    }

    /** A nested mapping; an absent key reads as an empty mapping, so all its keys take defaults. */
    YamlMap map(String key, Collection<String> known) {
        return map(key, known, "key");
    }

    YamlMap map(String key, Collection<String> known, String noun) {
        return map(key, known, noun, Map.of());
    }

    /** A nested mapping whose {@code moved} keys are refused with where they went. */
    YamlMap map(String key, Collection<String> known, String noun, Map<String, String> moved) {
        Optional<Node> value = value(key);
        if (value.isEmpty()) {
            return new YamlMap(source, node, child(key), Map.of());
        }
        return of(source, value.get(), child(key), known, noun, moved);
    }

    /** A list's items; absent when the key is, and empty when the key has no value. */
    Optional<List<Node>> list(String key) {
        return value(key).map(value -> {
            if (YamlSource.isNull(value)) {
                return List.of();
            }
            if (!(value instanceof SequenceNode sequence)) {
                throw source.error(value, "'" + key + "' " + where(path) + " must be a list");
            }
            return sequence.getValue();
        });
    }

    /** A list of scalars, such as {@code protocols: [stomp, mqtt]}. */
    Optional<List<Scalar>> scalarList(String key) {
        return list(key).map(items -> items.stream().map(item -> toScalar(item, key)).toList());
    }

    /** A list of mappings, each checked against {@code known} and named {@code key[index]} in messages. */
    List<YamlMap> mapList(String key, Collection<String> known) {
        List<YamlMap> maps = new ArrayList<>();
        List<Node> items = list(key).orElse(List.of());
        for (int i = 0; i < items.size(); i++) {
            maps.add(of(source, items.get(i), child(key) + "[" + i + "]", known));
        }
        return maps;
    }

    private Scalar toScalar(Node value, String key) {
        if (YamlSource.isNull(value)) {
            throw source.error(value, "'" + key + "' " + where(path) + " has no value");
        }
        if (!(value instanceof ScalarNode scalar)) {
            throw source.error(value, "'" + key + "' " + where(path) + " must be a single value, not a list or mapping");
        }
        return new Scalar(source, value, key, source.text(scalar));
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the top level" : path;
    }

    private static String where(String path) {
        return path.isEmpty() ? "at the top level" : "in " + path;
    }
}
