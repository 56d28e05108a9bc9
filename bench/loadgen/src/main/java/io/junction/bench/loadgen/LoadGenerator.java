package io.junction.bench.loadgen;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.junction.bench.Options;
import io.junction.bench.Progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Issue 8's load generator: one scenario against one broker per run, through a real client
 * library, bounded in messages and in time; prints one {@code RESULT {...}} line on stdout and its
 * progress on stderr. With {@code --warmup-seconds=S} the scenario first runs once unmeasured,
 * bounded to S seconds (the idle-connection scenario opens and closes at most
 * {@link #WARMUP_CONNECTIONS} connections first), so that the measured run finds this JVM's JIT
 * compiler done with the client library, rather than competing with it for the generator's core,
 * and the broker's done with the code the scenario exercises. Exit status 0 once the line is
 * printed (lost messages are a result, not a failure), 2 for a wrong command line, 1 when the
 * scenario could not run to its end.
 *
 * <pre>
 * java -jar junction-loadgen.jar --scenario=mqtt-fan-in --broker=name@host:port [--broker-pid=pid]
 *      [--messages=N] [--seconds=S] [--connections=N] [--hold-seconds=S] [--window=N] [--payload=B]
 *      [--qos=0|1] [--rate=N] [--protocol=openwire|amqp] [--consumers=N] [--batch=N] [--transport=tcp|tls|ws|wss]
 *      [--ws-path=PATH] [--trust-store=FILE] [--trust-store-password=P] [--warmup-seconds=S] [--smoke]
 *      [--ports=mqtt:P,openwire:P,amqp:P,stomp:P] (mixed: the port of each protocol; --broker's is ignored)
 * </pre>
 */
public final class LoadGenerator {

    static final Set<String> SCENARIOS = Set.of("mqtt-fan-in", "mqtt-qos1", "mqtt-qos1-paced", "mqtt-fan-out",
            "mqtt-idle-connections",
            "jms-queue-sync-1", "jms-queue-sync-16", "jms-queue-async", "jms-queue-transacted", "jms-topic-fan-out",
            "stomp-queue", "mixed");

    private static final Set<String> OPTIONS = Set.of("scenario", "broker", "broker-pid", "messages", "seconds",
            "connections", "hold-seconds", "window", "payload", "qos", "smoke", "protocol", "consumers", "batch",
            "transport", "ws-path", "trust-store", "trust-store-password", "ports", "warmup-seconds", "rate");

    /** With --warmup-seconds, the idle-connection scenario first opens and closes at most this many connections. */
    static final int WARMUP_CONNECTIONS = 2_000;

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Scenario scenario;
        Scenario warmup;
        Target target;
        String name;
        try {
            // --smoke alone is --smoke=true; Options takes --name=value only.
            Options options = Options.parse(Arrays.stream(args).map(a -> a.equals("--smoke") ? "--smoke=true" : a)
                    .toArray(String[]::new), OPTIONS);
            name = required(options, "scenario");
            target = target(options);
            if (target.transport() != Transport.TCP && (name.startsWith("jms-") || name.equals("mixed"))) {
                throw new IllegalArgumentException("the jms-* and mixed scenarios run over tcp only");
            }
            scenario = scenario(name, options);
            warmup = warmup(name, options);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.err.println("usage: --scenario=" + String.join("|", SCENARIOS.stream().sorted().toList())
                    + " --broker=name@host:port [--broker-pid=pid] [--messages=N] [--seconds=S] [--connections=N]"
                    + " [--hold-seconds=S] [--window=N] [--payload=bytes] [--qos=0|1] [--rate=N] [--protocol=openwire|amqp]"
                    + " [--consumers=N] [--batch=N] [--transport=tcp|tls|ws|wss] [--ws-path=PATH]"
                    + " [--trust-store=FILE] [--trust-store-password=P] [--ports=mqtt:P,openwire:P,amqp:P,stomp:P]"
                    + " [--warmup-seconds=S] [--smoke]");
            return 2;
        }
        try {
            if (warmup != null) {
                warmup.run(target, new Progress("loadgen " + name + " warm-up"));
                // A collection now, not in the measured run: the generator's first young collections
                // copy what start-up and the warm-up left (17-22 ms pauses with the serial collector a
                // pinned JVM gets), which added to the latency of every message in flight.
                System.gc();
            }
            ResultLine result = scenario.run(target, new Progress("loadgen " + name))
                    .put("transport", target.transport().label());
            System.out.println(result);
            System.out.flush();
            return 0;
        } catch (Exception e) {
            System.err.println("loadgen: " + name + " against " + target.name() + " failed:");
            e.printStackTrace();
            return 1;
        }
    }

    /** The broker, and how to reach it: the transport, its WebSocket path and the trust store for TLS. */
    private static Target target(Options options) {
        Transport transport = Transport.parse(options.get("transport", "tcp"));
        String trustStore = options.get("trust-store");
        return Target.parse(required(options, "broker"), options.get("broker-pid"), transport,
                options.get("ws-path", "/"), trustStore == null ? null
                        : TrustStore.load(Path.of(trustStore), options.get("trust-store-password", "loadgen")));
    }

    /**
     * The scenario with its settings: the shape (publishers, subscribers, QoS), the
     * command line's bounds, or the defaults; {@code --smoke} makes every count tiny.
     */
    private static Scenario scenario(String name, Options options) {
        boolean smoke = Boolean.parseBoolean(options.get("smoke", "false"));
        Duration limit = options.seconds("seconds", smoke ? 10 : 60);
        int payload = options.integer("payload", 128);
        return switch (name) {
            case "mqtt-fan-in" -> new PublishSubscribe(name, 10, 1, qos(options, 0), false,
                    messages(options, smoke, 1_000_000), limit, window(options, 1024), payload, 0);
            case "mqtt-qos1" -> new PublishSubscribe(name, 1, 1, MqttQos.AT_LEAST_ONCE, true,
                    messages(options, smoke, 200_000), limit, window(options, 64), payload, 0);
            // The same at a pace every peer keeps up with, so that latencies compare at one rate.
            case "mqtt-qos1-paced" -> new PublishSubscribe(name, 1, 1, MqttQos.AT_LEAST_ONCE, true,
                    messages(options, smoke, 100_000), limit, window(options, 64), payload,
                    rate(options, smoke ? 2_000 : 20_000));
            case "mqtt-fan-out" -> new PublishSubscribe(name, 1, 50, qos(options, 0), false,
                    messages(options, smoke, 20_000), limit, window(options, 1024), payload, 0);
            case "mqtt-idle-connections" -> idleConnections(options, smoke);
            case "jms-queue-sync-1", "jms-queue-sync-16", "jms-queue-async", "jms-queue-transacted",
                 "jms-topic-fan-out" -> JmsScenarios.of(name, options, smoke, limit);
            case "stomp-queue" -> new StompQueue(name, messages(options, smoke, 200_000), limit,
                    window(options, 256), options.integer("payload", 1024));
            case "mixed" -> mixed(options, smoke, limit);
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    /**
     * The idle connections, warmed up (with {@code --warmup-seconds}) by at most
     * {@link #WARMUP_CONNECTIONS} connections opened and closed before those measured, after the
     * broker's memory is read: what it keeps from them counts against the measured connections.
     */
    private static IdleConnections idleConnections(Options options, boolean smoke) {
        int connections = options.integer("connections", smoke ? 100 : 10_000);
        int warmup = options.longInteger("warmup-seconds", 0) > 0 ? Math.min(connections, WARMUP_CONNECTIONS) : 0;
        return new IdleConnections(connections, warmup, options.seconds("hold-seconds", smoke ? 1 : 5));
    }

    /** The scenario's unmeasured first run, or null without {@code --warmup-seconds}. */
    private static Scenario warmup(String name, Options options) {
        long seconds = options.longInteger("warmup-seconds", 0);
        if (seconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds is 0 or more");
        }
        if (seconds == 0) {
            return null;
        }
        if (name.equals("mqtt-idle-connections")) {
            return null; // IdleConnections warms up itself: see scenario()
        }
        return scenario(name, options.with("seconds", Long.toString(seconds)));
    }

    /**
     * The mixed run's parts, each the shape of its own scenario with that scenario's defaults; every
     * part sends up to {@code --messages} (default 1,000,000: the time bound ends a full run).
     */
    private static MixedLoad mixed(Options options, boolean smoke, Duration limit) {
        long messages = messages(options, smoke, 1_000_000);
        Map<String, Scenario> parts = new LinkedHashMap<>();
        parts.put("mqtt", new PublishSubscribe("mixed-mqtt", 1, 1, MqttQos.AT_LEAST_ONCE, true, messages, limit,
                window(options, 64), 128, 0));
        parts.put("openwire", new JmsLoad("mixed-openwire", JmsProtocol.OPENWIRE, false, true, 1, 1,
                JmsLoad.SendMode.ASYNC, 100, messages, limit, 1024, 1024));
        parts.put("amqp", new JmsLoad("mixed-amqp", JmsProtocol.AMQP, false, true, 1, 1,
                JmsLoad.SendMode.ASYNC, 100, messages, limit, 1024, 1024));
        parts.put("stomp", new StompQueue("mixed-stomp", messages, limit, 256, 1024));
        return new MixedLoad(parts, MixedLoad.parsePorts(options.get("ports")));
    }

    static long messages(Options options, boolean smoke, long full) {
        return options.longInteger("messages", smoke ? 200 : full);
    }

    static int window(Options options, int defaultWindow) {
        int window = options.integer("window", defaultWindow);
        if (window < 1) {
            throw new IllegalArgumentException("--window must be at least 1");
        }
        return window;
    }

    private static int rate(Options options, int defaultRate) {
        int rate = options.integer("rate", defaultRate);
        if (rate < 1) {
            throw new IllegalArgumentException("--rate must be at least 1 (messages per second)");
        }
        return rate;
    }

    private static MqttQos qos(Options options, int defaultQos) {
        int qos = options.integer("qos", defaultQos);
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("--qos is 0 or 1");
        }
        return MqttQos.fromCode(qos);
    }

    static String required(Options options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
