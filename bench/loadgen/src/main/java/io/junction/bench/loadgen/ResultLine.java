package io.junction.bench.loadgen;

import io.junction.bench.LatencyRecorder;

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

    /**
     * A line that starts with the fields every delivery scenario reports, in this order (see
     * bench/README.md, "The result line"); the scenario adds its own after them.
     *
     * @param latency the end-to-end latency over every receiver, or null where not measured
     */
    static ResultLine deliveries(String scenario, Target target, long sent, long delivered, long expected,
                                 double seconds, LatencyRecorder.Summary latency, Window measured, boolean lost) {
        Double brokerCpu = measured.brokerCpuSeconds();
        return new ResultLine()
                .put("scenario", scenario)
                .put("broker", target.name())
                .put("sent", sent)
                .put("delivered", delivered)
                .put("expected", expected)
                .put("seconds", seconds)
                .put("msgsPerSec", delivered / seconds)
                .put("p50Ms", latency == null ? null : latency.p50Micros() / 1000)
                .put("p99Ms", latency == null ? null : latency.p99Micros() / 1000)
                .put("p999Ms", latency == null ? null : latency.p999Micros() / 1000)
                .put("brokerRssKb", measured.brokerRssKb())
                .put("brokerCpuSec", brokerCpu)
                .put("generatorCpuSec", measured.generatorCpuSeconds())
                .put("lost", lost)
                .put("brokerCpuUsPerMsg", brokerCpu == null || delivered == 0 ? null : brokerCpu * 1e6 / delivered);
    }

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
