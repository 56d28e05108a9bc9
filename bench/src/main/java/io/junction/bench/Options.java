package io.junction.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark's command line: {@code --name=value} arguments, each name among those the benchmark
 * knows (anything else is refused with the list of names). A name may be given more than once:
 * {@link #get} gives its last value, {@link #all} every one.
 */
public final class Options {

    private final Map<String, List<String>> values;

    private Options(Map<String, List<String>> values) {
        this.values = values;
    }

    public static Options parse(String[] args, Set<String> known) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = equals < 0 ? "" : arg.substring(2, equals);
            if (!arg.startsWith("--") || !known.contains(name)) {
                throw new IllegalArgumentException("unknown argument " + arg + "; the options are --name=value with "
                        + "a name among " + known);
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(arg.substring(equals + 1));
        }
        return new Options(values);
    }

    /** These options with {@code name} given {@code value} alone, in place of what it had. */
    public Options with(String name, String value) {
        Map<String, List<String>> changed = new LinkedHashMap<>(values);
        changed.put(name, List.of(value));
        return new Options(changed);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The last value given, or null. */
    public String get(String name) {
        return get(name, null);
    }

    public String get(String name, String defaultValue) {
        List<String> given = values.get(name);
        return given == null ? defaultValue : given.get(given.size() - 1);
    }

    /** Every value given, in order. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public int integer(String name, int defaultValue) {
        return Integer.parseInt(get(name, Integer.toString(defaultValue)));
    }

    public long longInteger(String name, long defaultValue) {
        return Long.parseLong(get(name, Long.toString(defaultValue)));
    }

    public Duration seconds(String name, long defaultSeconds) {
        return Duration.ofSeconds(longInteger(name, defaultSeconds));
    }
}
