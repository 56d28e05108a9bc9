package io.junction.core.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The config file being read: its name for error messages and the environment that
 * {@code ${NAME}} and {@code ${NAME:-default}} in scalar values are taken from.
 */
final class YamlSource {

    private static final Pattern VARIABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?");

    private final String label;
    private final Function<String, String> environment;

    YamlSource(String label, Function<String, String> environment) {
        this.label = label;
        this.environment = environment;
    }

    ConfigException error(Node node, String problem, String hint) {
        return ConfigException.at(label, line(node), problem, hint);
    }

    ConfigException error(Node node, String problem) {
        return error(node, problem, null);
    }

    /** The 1-based line where the node starts, or 0 when the parser recorded none. */
    static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    /** True for an empty value, {@code ~} or {@code null}: a key written without a value. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** The scalar's text with every environment variable reference replaced. */
    String text(ScalarNode node) {
        String raw = node.getValue();
        StringBuilder out = new StringBuilder();
        int done = 0;
        int start;
        while ((start = raw.indexOf("${", done)) >= 0) {
            int end = raw.indexOf('}', start);
            Matcher reference = VARIABLE.matcher(end < 0 ? "" : raw.substring(start + 2, end));
            if (!reference.matches()) {
                throw error(node, "malformed variable reference in '" + raw + "'", "write ${NAME} or ${NAME:-default}");
            }
            out.append(raw, done, start).append(resolve(node, reference.group(1), reference.group(2)));
            done = end + 1;
        }
        return out.append(raw, done, raw.length()).toString();
    }

    // Like the shell's ${NAME:-default}: the default also replaces a variable that is set but empty.
    private String resolve(Node node, String name, String fallback) {
        String value = environment.apply(name);
        if (fallback != null && (value == null || value.isEmpty())) {
            return fallback;
        }
        if (value == null) {
            throw error(node, "environment variable '" + name + "' is not set",
                    "set it, or give a default: ${" + name + ":-value}");
        }
        return value;
    }
}
