package io.junction.bench.loadgen.report;

import java.util.Map;

/** One {@code RESULT} line read back: its fields by name, with the accessors the report needs. */
record Run(Map<String, Object> fields) {

    static Run parse(String resultLine) {
        return new Run(FlatJson.parse(resultLine.substring("RESULT ".length())));
    }

    String broker() {
        return text("broker");
    }

    /** The row this run belongs to: scenario, protocol (mqtt where the line names none) and transport. */
    RowKey row() {
        String scenario = text("scenario");
        String protocol = fields.get("protocol") instanceof String p ? p
                : scenario.startsWith("mqtt-") ? "mqtt" : scenario.startsWith("stomp-") ? "stomp" : "mixed";
        String transport = fields.get("transport") instanceof String t ? t : "tcp";
        return new RowKey(scenario, protocol, transport);
    }

    /** The number, or null where the line has null or no such field. */
    Double number(String name) {
        return fields.get(name) instanceof Double d ? d : null;
    }

    String text(String name) {
        Object value = fields.get(name);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("result line without " + name + ": " + fields);
        }
        return s;
    }

    /** A run that lost messages or connections, or had failed sends: marked, not ranked. */
    boolean marked() {
        Double failed = number("failed");
        return Boolean.TRUE.equals(fields.get("lost")) || (failed != null && failed > 0);
    }

    /** Delivered / expected (idle: connected / connections), or null. */
    Double deliveredShare() {
        Double delivered = number("delivered");
        Double expected = number("expected");
        if (delivered == null || expected == null) {
            delivered = number("connected");
            expected = number("connections");
        }
        return delivered == null || expected == null || expected == 0 ? null : delivered / expected;
    }
}
