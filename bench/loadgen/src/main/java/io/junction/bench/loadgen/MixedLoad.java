package io.junction.bench.loadgen;

import io.junction.bench.Progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * All four protocols loading the broker at once: MQTT QoS 1 one-to-one, persistent JMS queues with
 * async sends over OpenWire and over AMQP, and the STOMP queue, each its own scenario on its own
 * port, started together and each bounded by the same messages and time. The line adds up what the
 * parts delivered over the longest part's window, with the broker's CPU over the whole run, and
 * gives each part's throughput and p99 beside it ({@code mqttMsgsPerSec}, {@code mqttP99Ms}, ...).
 */
final class MixedLoad implements Scenario {

    /** The protocols of a mixed run, in the order of the result line's per-part fields. */
    static final List<String> PROTOCOLS = List.of("mqtt", "openwire", "amqp", "stomp");

    private final Map<String, Scenario> parts;
    private final Map<String, Integer> ports;

    /** @param parts the scenario of each protocol; @param ports the broker's port for each */
    MixedLoad(Map<String, Scenario> parts, Map<String, Integer> ports) {
        this.parts = parts;
        this.ports = ports;
    }

    /** {@code --ports=mqtt:1883,openwire:61616,amqp:5672,stomp:61613}: a port for every protocol of the run. */
    static Map<String, Integer> parsePorts(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("the mixed scenario needs --ports=mqtt:P,openwire:P,amqp:P,stomp:P");
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String[] pair = entry.split(":");
            if (pair.length != 2 || !PROTOCOLS.contains(pair[0]) || !pair[1].matches("\\d{1,5}")) {
                throw new IllegalArgumentException("--ports takes protocol:port pairs (" + String.join(", ", PROTOCOLS)
                        + "), was " + entry);
            }
            ports.put(pair[0], Integer.valueOf(pair[1]));
        }
        for (String protocol : PROTOCOLS) {
            if (!ports.containsKey(protocol)) {
                throw new IllegalArgumentException("--ports gives no " + protocol + " port");
            }
        }
        return ports;
    }

    @Override
    public ResultLine run(Target target, Progress progress) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(parts.size(), r -> {
            Thread thread = new Thread(r, "mixed-part");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Window measured = Window.open(target.process());
            Map<String, Future<ResultLine>> running = new LinkedHashMap<>();
            parts.forEach((protocol, scenario) -> {
                Target part = new Target(target.name(), target.host(), ports.get(protocol), target.process(),
                        target.transport(), target.webSocketPath(), target.trustStore());
                running.put(protocol, threads.submit(() -> scenario.run(part, progress)));
            });
            Map<String, ResultLine> results = new LinkedHashMap<>();
            List<Exception> failures = new ArrayList<>();
            for (Map.Entry<String, Future<ResultLine>> entry : running.entrySet()) {
                try {
                    results.put(entry.getKey(), entry.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(new Exception(entry.getKey() + " part failed", e.getCause()));
                }
            }
            measured.close();
            if (!failures.isEmpty()) {
                Exception first = failures.get(0);
                failures.stream().skip(1).forEach(first::addSuppressed);
                throw first;
            }
            return combine(target, results, measured);
        } finally {
            threads.shutdownNow();
        }
    }

    private static ResultLine combine(Target target, Map<String, ResultLine> results, Window measured) {
        long sent = 0;
        long delivered = 0;
        long expected = 0;
        long failed = 0;
        double seconds = 0;
        boolean lost = false;
        for (ResultLine part : results.values()) {
            sent += ((Number) part.get("sent")).longValue();
            delivered += ((Number) part.get("delivered")).longValue();
            expected += ((Number) part.get("expected")).longValue();
            failed += part.get("failed") instanceof Number n ? n.longValue() : 0;
            seconds = Math.max(seconds, (Double) part.get("seconds"));
            lost |= Boolean.TRUE.equals(part.get("lost"));
        }
        // Latency is per part (its p99 below): the parts' messages do not share one clock path.
        ResultLine line = ResultLine.deliveries("mixed", target, sent, delivered, expected, seconds, null, measured,
                        lost)
                .put("failed", failed)
                .put("protocols", String.join("+", results.keySet()));
        results.forEach((protocol, part) -> line
                .put(protocol + "MsgsPerSec", part.get("msgsPerSec"))
                .put(protocol + "P99Ms", part.get("p99Ms"))
                .put(protocol + "Lost", part.get("lost")));
        return line;
    }
}
