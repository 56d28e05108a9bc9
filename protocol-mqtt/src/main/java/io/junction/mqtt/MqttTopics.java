package io.junction.mqtt;

import io.junction.core.model.Destination;

/**
 * MQTT topic names and filters, and their core topic names (design section 2): levels separated
 * by {@code /} become words separated by {@code .}, {@code +} becomes {@code *} and {@code #}
 * becomes {@code >}; a {@code .} inside a level becomes {@code /}, so the mapping goes both ways.
 * A level that is just {@code *} or {@code >}, ordinary characters in MQTT but wildcards in the
 * core, becomes the word {@code %2A} or {@code %3E}.
 */
final class MqttTopics {

    static final String SHARE_PREFIX = "$share/";
    private static final String STAR_WORD = "%2A";
    private static final String GREATER_WORD = "%3E";

    private MqttTopics() {
    }

    /** The core topic of an MQTT topic name or filter. */
    static Destination toCore(String mqtt) {
        char[] chars = mqtt.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            switch (chars[i]) {
                case '/' -> chars[i] = '.';
                case '.' -> chars[i] = '/';
                case '+' -> chars[i] = '*';
                case '#' -> chars[i] = '>';
                default -> {
                }
            }
        }
        String core = new String(chars);
        if (mqtt.indexOf('*') >= 0 || mqtt.indexOf('>') >= 0) {
            core = escapeLiteralWildcards(mqtt, core);
        }
        return Destination.topic(core);
    }

    private static String escapeLiteralWildcards(String mqtt, String core) {
        String[] levels = mqtt.split("/", -1);
        String[] words = core.split("\\.", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("*")) {
                words[i] = STAR_WORD;
            } else if (levels[i].equals(">")) {
                words[i] = GREATER_WORD;
            }
        }
        return String.join(".", words);
    }

    /** The MQTT topic name of a core topic name. */
    static String fromCore(String core) {
        char[] chars = core.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == '.') {
                chars[i] = '/';
            } else if (chars[i] == '/') {
                chars[i] = '.';
            }
        }
        String mqtt = new String(chars);
        if (core.contains(STAR_WORD) || core.contains(GREATER_WORD)) {
            String[] levels = mqtt.split("/", -1);
            for (int i = 0; i < levels.length; i++) {
                if (levels[i].equals(STAR_WORD)) {
                    levels[i] = "*";
                } else if (levels[i].equals(GREATER_WORD)) {
                    levels[i] = ">";
                }
            }
            mqtt = String.join("/", levels);
        }
        return mqtt;
    }

    /**
     * Whether a PUBLISH may carry this topic name: not empty, no wildcard, no NUL, and no U+FFFD,
     * which is what the codec makes of bytes that are not UTF-8 [MQTT-1.5.3-1], [MQTT-3.3.2-2].
     */
    static boolean isValidName(String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000' || c == '\uFFFD') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a topic filter is well formed [MQTT-4.7.1-2], [MQTT-4.7.1-3]: {@code #} only as the
     * whole last level, {@code +} only as a whole level.
     */
    static boolean isValidFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == '/') {
                String level = filter.substring(levelStart, i);
                boolean wildcard = level.equals("+") || level.equals("#");
                if (!wildcard && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
                    return false;
                }
                if (level.equals("#") && i != filter.length()) {
                    return false;
                }
                levelStart = i + 1;
            } else if (filter.charAt(i) == '\u0000' || filter.charAt(i) == '\uFFFD') {
                return false;
            }
        }
        return true;
    }

    /** A {@code $share/<group>/<filter>} subscription, split; null when the filter is not shared. */
    static Shared shared(String filter) {
        if (!filter.startsWith(SHARE_PREFIX)) {
            return null;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        String group = slash < 0 ? "" : filter.substring(SHARE_PREFIX.length(), slash);
        String rest = slash < 0 ? "" : filter.substring(slash + 1);
        return new Shared(group, rest);
    }

    /** @param group the share name; valid when not empty and free of {@code / + #} [MQTT-4.8.2-1] */
    record Shared(String group, String filter) {
        boolean isValid() {
            return !group.isEmpty() && group.indexOf('+') < 0 && group.indexOf('#') < 0 && isValidFilter(filter);
        }
    }
}
