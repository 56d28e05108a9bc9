package io.junction.bench.loadgen;

import io.junction.bench.Options;

import java.time.Duration;

/** The shapes of the jms-* scenarios (issue 8) and their defaults; the protocol comes from {@code --protocol}. */
final class JmsScenarios {

    private JmsScenarios() {
    }

    static JmsLoad of(String name, Options options, boolean smoke, Duration limit) {
        JmsProtocol protocol = JmsProtocol.parse(LoadGenerator.required(options, "protocol"));
        int payload = options.integer("payload", 1024);
        int consumers = options.integer("consumers", name.equals("jms-topic-fan-out") ? 10 : 1);
        int batch = options.integer("batch", 100);
        if (consumers < 1 || batch < 1) {
            throw new IllegalArgumentException("--consumers and --batch must be at least 1");
        }
        return switch (name) {
            case "jms-queue-sync-1" -> queue(name, protocol, 1, consumers, JmsLoad.SendMode.SYNC, batch,
                    LoadGenerator.messages(options, smoke, 20_000), limit, options, payload);
            case "jms-queue-sync-16" -> queue(name, protocol, 16, consumers, JmsLoad.SendMode.SYNC, batch,
                    LoadGenerator.messages(options, smoke, 100_000), limit, options, payload);
            case "jms-queue-async" -> queue(name, protocol, 1, consumers, JmsLoad.SendMode.ASYNC, batch,
                    LoadGenerator.messages(options, smoke, 200_000), limit, options, payload);
            case "jms-queue-transacted" -> queue(name, protocol, 1, consumers, JmsLoad.SendMode.TRANSACTED, batch,
                    LoadGenerator.messages(options, smoke, 200_000), limit, options, payload);
            // Non-persistent sends do not wait for the broker in either client (their default).
            case "jms-topic-fan-out" -> new JmsLoad(name, protocol, true, false, 1, consumers, JmsLoad.SendMode.SYNC,
                    batch, LoadGenerator.messages(options, smoke, 50_000), limit,
                    LoadGenerator.window(options, 1024), payload);
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    private static JmsLoad queue(String name, JmsProtocol protocol, int producers, int consumers,
                                 JmsLoad.SendMode mode, int batch, long messages, Duration limit, Options options,
                                 int payload) {
        return new JmsLoad(name, protocol, false, true, producers, consumers, mode, batch, messages, limit,
                LoadGenerator.window(options, 1024), payload);
    }
}
