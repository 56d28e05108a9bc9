package io.junction.bench.loadgen;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one machine-readable line a scenario prints on stdout: {@code RESULT {...}}, a flat JSON
 * object whose fields keep the order they were put in. Values are strings, whole numbers,
 * decimals (3 places), booleans or null (not measured); a non-finite decimal is written as null.
 */
final class ResultLine {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    ResultLine put(String name, Object value) {
        if (value != null && !(value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Double || value instanceof Boolean)) {
            throw new IllegalArgumentException(name + ": not a JSON scalar: " + value.getClass());
        }
        fields.put(name, value);
        return this;
    }

    Object get(String name) {
        return fields.get(name);
    }

    @Override
    public String toString() {
        StringBuilder json = new StringBuilder("RESULT {");
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, field.getKey());
            json.append(':');
            value(json, field.getValue());
        }
        return json.append('}').toString();
    }

    private static void value(StringBuilder json, Object value) {
        if (value instanceof String s) {
            string(json, s);
        } else if (value instanceof Double d) {
            json.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
        } else {
            json.append(value); // null, a whole number or a boolean
        }
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
