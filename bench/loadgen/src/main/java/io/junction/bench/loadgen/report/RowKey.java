package io.junction.bench.loadgen.report;

import java.util.Comparator;

/** A row of the comparison: a scenario over one protocol and transport. */
record RowKey(String scenario, String protocol, String transport) {

    static final Comparator<RowKey> ORDER = Comparator.comparing(RowKey::scenario)
            .thenComparing(RowKey::protocol).thenComparing(k -> transportRank(k.transport()));

    String label() {
        StringBuilder label = new StringBuilder(scenario);
        if (scenario.startsWith("jms-")) {
            label.append(' ').append(protocol);
        }
        if (!transport.equals("tcp")) {
            label.append(' ').append(transport);
        }
        return label.toString();
    }

    boolean idle() {
        return scenario.equals("mqtt-idle-connections");
    }

    private static int transportRank(String transport) {
        return switch (transport) {
            case "tcp" -> 0;
            case "tls" -> 1;
            case "ws" -> 2;
            case "wss" -> 3;
            default -> 4;
        };
    }
}
