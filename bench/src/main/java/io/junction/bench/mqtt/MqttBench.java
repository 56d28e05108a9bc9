package io.junction.bench.mqtt;

import io.junction.bench.BrokerProcess;
import io.junction.bench.LatencyRecorder;
import io.junction.bench.MachineCpu;
import io.junction.bench.Options;
import io.junction.bench.Progress;
import io.junction.bench.Table;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * MQTT load generator: runs the scenarios of issue 4 against one or more brokers that are already
 * running (bench/mqtt.sh starts Junction and Mosquitto), one broker after the other, and prints
 * the result tables (markdown) on stdout; progress goes to stderr.
 *
 * <p>Scenarios: {@code fan-in} (QoS 0, N publishers, 1 subscriber), {@code qos1} (QoS 1, one
 * publisher with a window of unacknowledged PUBLISHes, one subscriber, throughput and end-to-end
 * latency), {@code fan-out-0} and {@code fan-out-1} (1 publisher, N subscribers, QoS 0 / QoS 1),
 * {@code idle} (N idle MQTT 3.1.1 connections: the broker's live heap and RSS before and with
 * them), {@code handshake} (connections opened and closed in a loop: CONNECT, CONNACK, DISCONNECT,
 * over TLS each with a full handshake).
 *
 * <p>Options ({@code --name=value}): {@code broker} (repeatable, {@code label@host:port:pid}
 * with an optional {@code :scenario+scenario} restricting what runs on it), {@code scenarios}
 * (comma-separated, default all), {@code seconds} (measured window, default 5), {@code warmup}
 * (seconds before it, default 2), {@code repetitions} (default 3; tables show the median),
 * {@code payload} (bytes, default 128), {@code window} (QoS 1 unacknowledged PUBLISHes per
 * publisher, default 64), {@code publishers} (fan-in, default 10), {@code subscribers} (fan-out,
 * default 50), {@code connections} (idle, default 10000), {@code note} (repeatable: a line for
 * the header), {@code trust} (a PKCS12 file whose certificates the TLS client trusts, needed for
 * {@code tls://} and {@code wss://} brokers; its password is {@code $JUNCTION_KEYSTORE_PASSWORD}),
 * {@code handshakers} (connections the handshake scenario keeps opening at once, default 8).
 */
public final class MqttBench {

    static final List<String> SCENARIOS =
            List.of("idle", "fan-in", "qos1", "qos1-rtt", "fan-out-0", "fan-out-1", "handshake");
    private static final Set<String> OPTIONS = Set.of("broker", "scenarios", "seconds", "warmup", "repetitions",
            "payload", "window", "publishers", "subscribers", "connections", "note", "loops", "trust", "handshakers");
    private static final int LATENCY_CAPACITY = 4_000_000;
    private static final Progress PROGRESS = new Progress("mqtt-bench");

    private final int seconds;
    private final int warmup;
    private final int payload;
    private final int window;
    private final MqttLoadClient.Loops loops;
    private int runNumber;
    private final Set<String> tlsSessions = new TreeSet<>();

    private MqttBench(int seconds, int warmup, int payload, int window, MqttLoadClient.Loops loops) {
        this.seconds = seconds;
        this.warmup = warmup;
        this.payload = payload;
        this.window = window;
        this.loops = loops;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, OPTIONS);
        List<BrokerUnderTest> brokers = new ArrayList<>();
        for (String spec : options.all("broker")) {
            brokers.add(BrokerUnderTest.parse(spec));
        }
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("give at least one --broker=label@host:port:pid");
        }
        List<String> scenarios = List.of(options.get("scenarios", String.join(",", SCENARIOS)).split(","));
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + SCENARIOS);
            }
        }
        int seconds = options.integer("seconds", 5);
        int warmup = options.integer("warmup", 2);
        int repetitions = options.integer("repetitions", 3);
        int payload = options.integer("payload", 128);
        int window = options.integer("window", 64);
        int publishers = options.integer("publishers", 10);
        int subscribers = options.integer("subscribers", 50);
        int connections = options.integer("connections", 10000);
        int loopThreads = options.integer("loops", 2);
        int handshakers = options.integer("handshakers", 8);
        SslContext tls = clientTls(options.get("trust", null), "HTTPS");
        SslContext tlsWithoutHostCheck = clientTls(options.get("trust", null), null);
        for (BrokerUnderTest broker : brokers) {
            if (broker.transport().tls() && tls == null) {
                throw new IllegalArgumentException("--trust=FILE.p12 is needed for " + broker.label());
            }
        }

        StringBuilder out = new StringBuilder();
        out.append("Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append('\n');
        out.append(String.format("Load generator: %s %s, %d cores, %d Netty event-loop threads (%s), one JVM for "
                        + "every client; payload %d B, MQTT 3.1.1, clean session%n",
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                MachineCpu.cores(), loopThreads,
                io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio", payload));
        for (String note : options.all("note")) {
            out.append(note).append('\n');
        }
        out.append("Other processes: ").append(MachineCpu.backgroundLoad()).append('\n');

        try (MqttLoadClient.Loops loops = new MqttLoadClient.Loops(loopThreads, tls, tlsWithoutHostCheck)) {
            MqttBench bench = new MqttBench(seconds, warmup, payload, window, loops);
            Table throughput = new Table("scenario", "broker", "delivered msg/s (median, min-max)",
                    "published msg/s", "delivered / (published x subs)", "broker CPU us/msg",
                    "load generator CPU us/msg", "machine busy", "other processes");
            Table latency = new Table("scenario", "broker", "msg/s", "p50 us", "p99 us", "p99.9 us", "max us",
                    "samples");
            Table idle = new Table("broker", "connections", "connect time", "live heap, 0 conns",
                    "live heap, with conns", "heap per conn", "heap after closing them", "RSS, 0 conns",
                    "RSS with conns", "RSS per conn", "open fds");
            Table handshakes = new Table("broker", "connections/s (median, min-max)", "broker CPU us/conn",
                    "load generator CPU us/conn", "machine busy", "other processes", "failed");
            List<String> growth = new ArrayList<>();
            for (String scenario : scenarios) {
                int pubs;
                int subs;
                MqttQoS qos;
                String title;
                int scenarioWindow = window;
                switch (scenario) {
                    case "fan-in" -> {
                        pubs = publishers;
                        subs = 1;
                        qos = MqttQoS.AT_MOST_ONCE;
                        title = String.format("fan-in QoS 0, %d pub -> 1 sub", pubs);
                    }
                    case "qos1" -> {
                        pubs = 1;
                        subs = 1;
                        qos = MqttQoS.AT_LEAST_ONCE;
                        title = String.format("QoS 1, 1 pub -> 1 sub, window %d", window);
                    }
                    case "qos1-rtt" -> {
                        pubs = 1;
                        subs = 1;
                        qos = MqttQoS.AT_LEAST_ONCE;
                        scenarioWindow = 1;
                        title = "QoS 1, 1 pub -> 1 sub, window 1";
                    }
                    case "fan-out-0" -> {
                        pubs = 1;
                        subs = subscribers;
                        qos = MqttQoS.AT_MOST_ONCE;
                        title = String.format("fan-out QoS 0, 1 pub -> %d subs", subs);
                    }
                    case "fan-out-1" -> {
                        pubs = 1;
                        subs = subscribers;
                        qos = MqttQoS.AT_LEAST_ONCE;
                        title = String.format("fan-out QoS 1, 1 pub -> %d subs, window %d", subs, window);
                    }
                    case "handshake" -> {
                        Map<BrokerUnderTest, List<HandshakeResult>> results = new LinkedHashMap<>();
                        for (int rep = 0; rep < repetitions; rep++) {
                            for (BrokerUnderTest broker : brokers) {
                                if (broker.runs(scenario)) {
                                    PROGRESS.log("handshake: %s, run %d of %d", broker.label(), rep + 1, repetitions);
                                    HandshakeResult r = bench.handshakes(broker, handshakers);
                                    PROGRESS.log("  %s", r);
                                    results.computeIfAbsent(broker, b -> new ArrayList<>()).add(r);
                                }
                            }
                        }
                        results.forEach((broker, runs) -> HandshakeResult.addRow(handshakes, broker, runs));
                        continue;
                    }
                    case "idle" -> {
                        for (BrokerUnderTest broker : brokers) {
                            if (broker.runs(scenario)) {
                                PROGRESS.log("idle: %,d connections to %s", connections, broker.label());
                                bench.idle(broker, connections, idle, growth);
                            }
                        }
                        continue;
                    }
                    default -> throw new IllegalStateException(scenario);
                }
                Map<BrokerUnderTest, List<RunResult>> results = new LinkedHashMap<>();
                for (int rep = 0; rep < repetitions; rep++) {
                    for (BrokerUnderTest broker : brokers) {
                        if (!broker.runs(scenario)) {
                            continue;
                        }
                        PROGRESS.log("%s: %s, run %d of %d", title, broker.label(), rep + 1, repetitions);
                        RunResult r = bench.run(broker, scenario, pubs, subs, qos, scenarioWindow);
                        PROGRESS.log("  %s", r.brief());
                        results.computeIfAbsent(broker, b -> new ArrayList<>()).add(r);
                    }
                }
                for (Map.Entry<BrokerUnderTest, List<RunResult>> e : results.entrySet()) {
                    addRows(title, e.getKey(), e.getValue(), subs, throughput, latency, qos);
                }
            }
            for (String session : bench.tlsSessions) {
                out.append("TLS negotiated (the load generator on the JDK's TLS): ").append(session).append('\n');
            }
            if (scenarios.stream().anyMatch(s -> !s.equals("idle") && !s.equals("handshake"))) {
                out.append('\n').append("Throughput: publishers send as fast as the connection takes them (QoS 0: while ")
                        .append("Netty's channel is writable, i.e. TCP back-pressure; QoS 1: at most ").append(window)
                        .append(" PUBLISHes without their PUBACK per publisher, 1 in the window-1 row); subscribers acknowledge QoS 1 at once. ")
                        .append(String.format("Each run: %d s warm-up, then %d s measured; median of %d runs, brokers ",
                                warmup, seconds, repetitions))
                        .append("alternating. Broker CPU: the broker process's user+system time over the window / messages ")
                        .append("delivered to subscribers. Machine busy: both cores, every process (the load generator too). Other ")
                        .append("processes: machine busy less the broker's and the load generator's CPU, in cores.")
                        .append("\n\n").append(throughput.render());
            }
            if (scenarios.contains("qos1") || scenarios.contains("qos1-rtt") || scenarios.contains("fan-out-1")) {
                out.append("\nEnd-to-end latency of QoS 1 messages (publisher's send to subscriber's receipt, one JVM, ")
                        .append("System.nanoTime()), every message of the measured window of the median run:\n\n")
                        .append(latency.render());
            }
            if (scenarios.contains("handshake")) {
                out.append(String.format("%nConnections opened and closed in a loop, %d at a time: TCP connect, over "
                        + "TLS a full handshake (no session resumption: the client keeps no session to offer), over "
                        + "wss the HTTP upgrade too, then MQTT 3.1.1 CONNECT, CONNACK, DISCONNECT, close. Each run: "
                        + "%d s warm-up, then %d s measured; median of %d runs. CPU per connection: the broker's "
                        + "process and the load generator's JVM over the window, per connection closed.%n%n",
                        handshakers, warmup, seconds, repetitions)).append(handshakes.render());
            }
            if (scenarios.contains("idle")) {
                out.append(String.format("%nIdle connections: MQTT 3.1.1 CONNECT, keep-alive 60 s (PINGREQ every 30 s), "
                        + "clean session, no subscription; at most 256 CONNECTs outstanding. Live heap: `jcmd <pid> "
                        + "GC.class_histogram` (a full GC, then every reachable object counted) before connecting and "
                        + "3 s after the last CONNACK; RSS: VmRSS of /proc/<pid>/status at the same moments. Per "
                        + "connection = difference / connections.%n%n"))
                        .append(idle.render());
                for (String g : growth) {
                    out.append('\n').append(g);
                }
            }
        }
        System.out.println(out);
    }

    private static void addRows(String title, BrokerUnderTest broker, List<RunResult> runs, int subscribers,
                                Table throughput, Table latency, MqttQoS qos) {
        List<RunResult> ok = runs.stream().filter(r -> r.error == null).sorted(
                Comparator.comparingDouble(RunResult::delivered)).toList();
        if (ok.isEmpty()) {
            throughput.row(title, broker.label(), "failed: " + runs.get(0).error, "-", "-", "-", "-", "-", "-");
            return;
        }
        RunResult median = ok.get(ok.size() / 2);
        String range = ok.size() > 1 ? String.format(" (%,.0f-%,.0f)", ok.get(0).delivered,
                ok.get(ok.size() - 1).delivered) : "";
        String failures = ok.size() < runs.size() ? String.format(", %d of %d runs failed", runs.size() - ok.size(),
                runs.size()) : "";
        throughput.row(title, broker.label(), String.format("%,.0f%s%s", median.delivered, range, failures),
                String.format("%,.0f", median.published),
                median.published == 0 ? "n/a" : Table.percent(median.delivered / (median.published * subscribers)),
                median.brokerCpuMicrosPerMessage < 0 ? "n/a" : String.format("%.1f", median.brokerCpuMicrosPerMessage),
                String.format("%.1f", median.generatorCpuMicrosPerMessage),
                Table.percent(median.machineBusy), String.format("%.2f cores", median.otherCores()));
        if (qos == MqttQoS.AT_LEAST_ONCE && median.latency != null) {
            LatencyRecorder.Summary l = median.latency;
            latency.row(title, broker.label(), String.format("%,.0f", median.delivered), micros(l.p50Micros()),
                    micros(l.p99Micros()), micros(l.p999Micros()), micros(l.maxMicros()),
                    String.format("%,d", l.samples()));
        }
    }

    record RunResult(double delivered, double published, double brokerCpuMicrosPerMessage,
                     double generatorCpuMicrosPerMessage, double machineBusy, LatencyRecorder.Summary latency,
                     String error) {
        static RunResult failed(String error) {
            return new RunResult(0, 0, 0, 0, 0, null, error);
        }

        /** Cores busy in the window beyond the broker and the load generator: other processes (and the kernel's own threads). */
        double otherCores() {
            int cores = MachineCpu.cores();
            return Math.max(0, machineBusy * cores - Math.max(0, brokerCpuMicrosPerMessage) * delivered / 1e6
                    - generatorCpuMicrosPerMessage * delivered / 1e6);
        }

        String brief() {
            if (error != null) {
                return "failed: " + error;
            }
            return String.format("delivered %,.0f msg/s, published %,.0f msg/s, broker %.1f us/msg, generator "
                            + "%.1f us/msg, machine %s, others %.2f cores%s", delivered, published, brokerCpuMicrosPerMessage,
                    generatorCpuMicrosPerMessage, Table.percent(machineBusy), otherCores(),
                    latency == null ? "" : String.format(", p50 %.0f us, p99 %.0f us", latency.p50Micros(),
                            latency.p99Micros()));
        }
    }

    /** One throughput run: subscribers first, then publishers, warm-up, measured window, everything closed. */
    private RunResult run(BrokerUnderTest broker, String scenario, int publishers, int subscribers, MqttQoS qos,
                          int window) throws InterruptedException {
        String topic = "bench/" + scenario + "/" + (++runNumber);
        String prefix = "b" + runNumber + "-";
        List<MqttLoadClient> subs = new ArrayList<>();
        List<MqttLoadClient> pubs = new ArrayList<>();
        List<LatencyRecorder> recorders = new ArrayList<>();
        boolean measureLatency = qos == MqttQoS.AT_LEAST_ONCE;
        try {
            for (int i = 0; i < subscribers; i++) {
                subs.add(MqttLoadClient.open(loops, broker, prefix + "sub-" + i, 60));
            }
            await(subs, MqttLoadClient::connected, "subscriber CONNACK");
            List<CompletableFuture<Void>> subacks = new ArrayList<>();
            for (MqttLoadClient sub : subs) {
                LatencyRecorder recorder = new LatencyRecorder(measureLatency
                        ? Math.max(1000, LATENCY_CAPACITY / subscribers) : 0);
                recorders.add(recorder);
                subacks.add(sub.subscribe(topic, qos, recorder::received));
            }
            CompletableFuture.allOf(subacks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < publishers; i++) {
                pubs.add(MqttLoadClient.open(loops, broker, prefix + "pub-" + i, 60));
            }
            await(pubs, MqttLoadClient::connected, "publisher CONNACK");
            String session = pubs.isEmpty() ? null : pubs.get(0).tlsSession();
            if (session != null) {
                tlsSessions.add(broker.label() + ": " + session);
            }
            for (MqttLoadClient pub : pubs) {
                pub.startPublishing(topic, qos, payload, window);
            }
            Thread.sleep(warmup * 1000L);
            long received0 = sum(subs, c -> c.received.get());
            long receivedQos00 = sum(subs, c -> c.receivedQos0.get());
            long published0 = sum(pubs, c -> c.published.get());
            long cpu0 = broker.cpuNanos();
            long own0 = ownCpuNanos();
            MachineCpu machine0 = MachineCpu.sample();
            long t0 = System.nanoTime();
            recorders.forEach(r -> r.recording = true);
            Thread.sleep(seconds * 1000L);
            recorders.forEach(r -> r.recording = false);
            long t1 = System.nanoTime();
            long received1 = sum(subs, c -> c.received.get());
            long receivedQos01 = sum(subs, c -> c.receivedQos0.get());
            long published1 = sum(pubs, c -> c.published.get());
            long cpu1 = broker.cpuNanos();
            long own1 = ownCpuNanos();
            MachineCpu machine1 = MachineCpu.sample();
            double elapsed = (t1 - t0) / 1e9;
            long delivered = received1 - received0;
            if (!broker.alive()) {
                return RunResult.failed("the broker process is gone");
            }
            // The counters are read one connection at a time while they move: compare counts of one kind only.
            long deliveredQos0 = receivedQos01 - receivedQos00;
            if (qos == MqttQoS.AT_LEAST_ONCE && deliveredQos0 != 0) {
                return RunResult.failed(String.format("%,d messages delivered at QoS 0 to QoS 1 subscribers",
                        deliveredQos0));
            }
            if (delivered == 0) {
                return RunResult.failed("no message delivered in the window");
            }
            double cpu = cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1000.0 / delivered;
            return new RunResult(delivered / elapsed, (published1 - published0) / elapsed, cpu,
                    (own1 - own0) / 1000.0 / delivered, machine1.busySince(machine0), measureLatency ? LatencyRecorder.summarize(recorders) : null, null);
        } catch (Exception e) {
            return RunResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            pubs.forEach(MqttLoadClient::stopPublishing);
            List<MqttLoadClient> all = new ArrayList<>(pubs);
            all.addAll(subs);
            closeAll(all);
            settle(broker);
        }
    }

    /** One run of the handshake scenario of one broker: its median-worthy figures, or why it failed. */
    record HandshakeResult(double perSecond, double brokerCpuMicros, double generatorCpuMicros, double machineBusy,
                           long failed, String error) {

        static void addRow(Table table, BrokerUnderTest broker, List<HandshakeResult> runs) {
            List<HandshakeResult> ok = runs.stream().filter(r -> r.error == null)
                    .sorted(Comparator.comparingDouble(HandshakeResult::perSecond)).toList();
            if (ok.isEmpty()) {
                table.row(broker.label(), "failed: " + runs.get(0).error, "-", "-", "-", "-", "-");
                return;
            }
            HandshakeResult median = ok.get(ok.size() / 2);
            String range = ok.size() > 1 ? String.format(" (%,.0f-%,.0f)", ok.get(0).perSecond,
                    ok.get(ok.size() - 1).perSecond) : "";
            int cores = MachineCpu.cores();
            double others = Math.max(0, median.machineBusy * cores
                    - (median.brokerCpuMicros + median.generatorCpuMicros) * median.perSecond / 1e6);
            table.row(broker.label(), String.format("%,.0f%s", median.perSecond, range),
                    String.format("%.0f", median.brokerCpuMicros), String.format("%.0f", median.generatorCpuMicros),
                    Table.percent(median.machineBusy), String.format("%.2f cores", others),
                    String.valueOf(median.failed));
        }

        @Override
        public String toString() {
            return error != null ? "failed: " + error : String.format("%,.0f connections/s, broker %.0f us/conn, "
                    + "generator %.0f us/conn, machine %s, %d failed", perSecond, brokerCpuMicros, generatorCpuMicros,
                    Table.percent(machineBusy), failed);
        }
    }

    /**
     * The handshake scenario: {@code concurrency} connections at a time, each opened (a full TLS
     * handshake on a TLS listener), CONNECT, CONNACK, DISCONNECT, closed, and replaced by the next
     * one as soon as it is closed.
     */
    private HandshakeResult handshakes(BrokerUnderTest broker, int concurrency) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Semaphore slots = new Semaphore(concurrency);
        String prefix = "h" + (++runNumber) + "-";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds);
        Thread opener = new Thread(() -> {
            long n = 0;
            try {
                while (System.nanoTime() < end) {
                    if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    MqttLoadClient client = MqttLoadClient.open(loops, broker, prefix + n++, 60, true);
                    client.connected().whenComplete((v, e) -> {
                        if (e == null) {
                            client.disconnect().whenComplete((v2, e2) -> {
                                done.incrementAndGet();
                                slots.release();
                            });
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, String.valueOf(e));
                            client.disconnect().whenComplete((v2, e2) -> slots.release());
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-handshakes");
        opener.start();
        Thread.sleep(warmup * 1000L);
        long done0 = done.get();
        long failed0 = failed.get();
        long cpu0 = broker.cpuNanos();
        long own0 = ownCpuNanos();
        MachineCpu machine0 = MachineCpu.sample();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long t1 = System.nanoTime();
        long done1 = done.get();
        long failed1 = failed.get();
        long cpu1 = broker.cpuNanos();
        long own1 = ownCpuNanos();
        MachineCpu machine1 = MachineCpu.sample();
        opener.join();
        // The last connections close on their own; wait for their slots so that the next run starts clean.
        if (!slots.tryAcquire(concurrency, 30, TimeUnit.SECONDS)) {
            PROGRESS.log("  some connections did not close within 30 s");
        }
        settle(broker);
        long connections = done1 - done0;
        if (!broker.alive()) {
            return new HandshakeResult(0, 0, 0, 0, 0, "the broker process is gone");
        }
        if (connections == 0) {
            return new HandshakeResult(0, 0, 0, 0, failed1 - failed0, "no connection completed in the window"
                    + (firstFailure.get() == null ? "" : "; first failure: " + firstFailure.get()));
        }
        return new HandshakeResult(connections / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1000.0 / connections,
                (own1 - own0) / 1000.0 / connections, machine1.busySince(machine0), failed1 - failed0, null);
    }

    /**
     * The idle-connection scenario: live heap, RSS and open files of the broker before, with
     * {@code count} connections, and after they are closed again.
     */
    private void idle(BrokerUnderTest broker, int count, Table table, List<String> growth) throws Exception {
        BrokerProcess.Histogram heap0 = broker.liveHeap();
        long rss0 = broker.rssKb();
        long fds0 = broker.openFiles();
        List<MqttLoadClient> clients = new ArrayList<>(count);
        Semaphore outstanding = new Semaphore(256);
        long start = System.nanoTime();
        int failed = 0;
        String failure = null;
        try {
            for (int i = 0; i < count; i++) {
                outstanding.acquire();
                MqttLoadClient client = MqttLoadClient.open(loops, broker, "idle-" + i, 60);
                client.connected().whenComplete((v, e) -> outstanding.release());
                clients.add(client);
            }
            for (MqttLoadClient c : clients) {
                try {
                    c.connected().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failed++;
                    if (failure == null) {
                        failure = String.valueOf(e.getCause() == null ? e : e.getCause());
                    }
                }
            }
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            PROGRESS.log("  %,d connected in %.1f s, %d failed%s", count - failed, connectSeconds, failed,
                    failure == null ? "" : " (first: " + failure + ")");
            Thread.sleep(3000);
            long stillOpen = clients.stream().filter(c -> !c.closed().isDone()).count();
            BrokerProcess.Histogram heap1 = broker.liveHeap();
            long rss1 = broker.rssKb();
            long fds1 = broker.openFiles();
            closeAll(clients);
            Thread.sleep(2000);
            BrokerProcess.Histogram heap2 = broker.liveHeap();
            int n = (int) stillOpen;
            table.row(broker.label(), String.format("%,d%s", n, n < count ? String.format(" of %,d (%s)", count,
                            failure == null ? "closed by the broker" : failure) : ""),
                    String.format("%.1f s", connectSeconds),
                    heap0 == null ? "n/a (not a JVM)" : mb(heap0.totalBytes()),
                    heap1 == null ? "n/a" : mb(heap1.totalBytes()),
                    heap0 == null || heap1 == null || n == 0 ? "n/a"
                            : kb((heap1.totalBytes() - heap0.totalBytes()) / (double) n),
                    heap2 == null ? "n/a" : mb(heap2.totalBytes()),
                    mb(rss0 * 1024), mb(rss1 * 1024), n == 0 ? "n/a" : kb((rss1 - rss0) * 1024.0 / n),
                    String.format("%,d -> %,d", fds0, fds1));
            if (heap0 != null && heap1 != null && n > 0) {
                growth.add(heapGrowth(broker.label(), heap0, heap1, n));
            }
        } finally {
            closeAll(clients);
        }
    }

    /** The classes whose live bytes grew most with the connections, per connection. */
    private static String heapGrowth(String label, BrokerProcess.Histogram before, BrokerProcess.Histogram after,
                                     int connections) {
        record Growth(String name, long bytes, long instances) {
        }
        List<Growth> growths = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.classes().entrySet()) {
            long[] b = before.classes().getOrDefault(e.getKey(), new long[2]);
            growths.add(new Growth(e.getKey(), e.getValue()[1] - b[1], e.getValue()[0] - b[0]));
        }
        growths.sort(Comparator.comparingLong(Growth::bytes).reversed());
        Table table = new Table("class", "bytes per conn", "instances per conn");
        long shown = 0;
        for (Growth g : growths.subList(0, Math.min(12, growths.size()))) {
            table.row(g.name(), String.format("%,.0f", g.bytes() / (double) connections),
                    String.format("%.2f", g.instances() / (double) connections));
            shown += g.bytes();
        }
        long total = after.totalBytes() - before.totalBytes();
        table.row("(all classes)", String.format("%,.0f", total / (double) connections), "");
        return String.format("What %s's live heap grew by with %,d idle connections, by class (%.0f%% of the growth "
                + "in these rows):%n%n", label, connections, total == 0 ? 0 : 100.0 * shown / total) + table.render();
    }

    /** Closes the clients (DISCONNECT first), 512 at a time. */
    private static void closeAll(List<MqttLoadClient> clients) {
        for (int from = 0; from < clients.size(); from += 512) {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (MqttLoadClient c : clients.subList(from, Math.min(clients.size(), from + 512))) {
                closing.add(c.disconnect());
            }
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                PROGRESS.log("  some connections did not close within 30 s: %s", e);
            }
        }
    }

    /** Waits (at most 20 s) until the broker has used under 5 % of a core for half a second: its backlog is gone. */
    private static void settle(BrokerUnderTest broker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long started = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long c0 = broker.cpuNanos();
            Thread.sleep(500);
            long c1 = broker.cpuNanos();
            if (c0 < 0 || c1 - c0 < 25_000_000L) {
                break;
            }
        }
        double took = (System.nanoTime() - started) / 1e9;
        if (took > 1.5) {
            PROGRESS.log("  %s was busy for %.1f s after the run", broker.label(), took);
        }
    }

    private static void await(List<MqttLoadClient> clients,
                              java.util.function.Function<MqttLoadClient, CompletableFuture<Void>> what, String name)
            throws Exception {
        for (MqttLoadClient c : clients) {
            try {
                what.apply(c).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new Exception(name + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /**
     * The TLS client, trusting every certificate of the given PKCS12 file; null without one.
     *
     * @param hostCheck the endpoint identification algorithm ({@code HTTPS}: the certificate's SAN
     *                  against the host connected to), or null for none
     */
    private static SslContext clientTls(String trustStore, String hostCheck) throws Exception {
        if (trustStore == null) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(trustStore))) {
            store.load(in, System.getenv().getOrDefault("JUNCTION_KEYSTORE_PASSWORD", "").toCharArray());
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            certificates.add((X509Certificate) store.getCertificate(alias));
        }
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certificates)
                .endpointIdentificationAlgorithm(hostCheck).build();
    }

    /** CPU time of this JVM, the load generator. */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long sum(List<MqttLoadClient> clients, ToLongFunction<MqttLoadClient> f) {
        long total = 0;
        for (MqttLoadClient c : clients) {
            total += f.applyAsLong(c);
        }
        return total;
    }

    private static String micros(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%,.0f", value);
    }

    private static String mb(double bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f MB", bytes / (1024 * 1024));
    }

    private static String kb(double bytes) {
        return String.format("%.2f KB", bytes / 1024);
    }
}
