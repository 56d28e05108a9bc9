package io.junction.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Junction in this JVM and, when the Artemis peer's class path is given, Artemis in a JVM of its
 * own, each with a listener for one protocol, for a benchmark that runs the same scenarios against
 * both. Before they start: the machine's background load, and the raw fsync rate, which gives
 * Artemis its journal-buffer-timeout (as in {@link Bench}). Reads the options
 * {@code artemis-classpath} (none: Junction only), {@code artemis-heap} (1g) and
 * {@code fsync-seconds} (2).
 */
final class SideBySideBrokers implements AutoCloseable {

    static final String JUNCTION = "junction";
    static final String ARTEMIS = "artemis";
    /** The length of the unmeasured run of every scenario on each broker before the measured runs. */
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(2);

    /** A broker under test: its name in the results, the port of its listener, what the benchmark observes of it. */
    record Target(String name, int port, BrokerProbe probe) {
    }

    /** One run of a scenario on one broker; {@code tag} names the run ({@code warm}, {@code r1}, ...). */
    interface Runner<S, R> {
        R run(Target broker, S scenario, String tag, Duration warmUp, Duration window) throws Exception;
    }

    /**
     * How the scenarios run: each measured run's window and the warm-up before it, and how many
     * times each runs on each broker; the options {@code seconds} (5), {@code warmup-seconds} (2)
     * and {@code repetitions} (3).
     */
    record Schedule(Duration window, Duration warmUp, int repetitions) {

        static Schedule of(Options options) {
            return new Schedule(options.seconds("seconds", 5), options.seconds("warmup-seconds", 2),
                    options.integer("repetitions", 3));
        }
    }

    /** The unmeasured warm-up runs and the measured ones. */
    record Runs<R>(List<R> warmUp, List<R> measured) {
    }

    private final String protocol;
    private final EmbeddedJunction junction;
    private final ArtemisProcess artemis;
    private final List<Target> targets;
    private final String background;
    private final double fsyncRate;
    private final String artemisHeap;
    private final Progress progress;

    private SideBySideBrokers(String protocol, EmbeddedJunction junction, ArtemisProcess artemis, List<Target> targets,
                              String background, double fsyncRate, String artemisHeap, Progress progress) {
        this.protocol = protocol;
        this.junction = junction;
        this.artemis = artemis;
        this.targets = targets;
        this.background = background;
        this.fsyncRate = fsyncRate;
        this.artemisHeap = artemisHeap;
        this.progress = progress;
    }

    /**
     * @param protocol      the protocol's listener on Junction and acceptor on Artemis, e.g. {@code amqp}
     * @param clientThreads the load generator's threads in this JVM, which Junction's CPU time leaves out
     */
    static SideBySideBrokers start(TempDirectory root, String protocol, Options options,
                                   Predicate<String> clientThreads, Progress progress) throws Exception {
        Duration fsyncWindow = options.seconds("fsync-seconds", 2);
        String artemisClasspath = options.get("artemis-classpath");
        String artemisHeap = options.get("artemis-heap", "1g");
        progress.log("background load (2 s)");
        String background = MachineCpu.backgroundLoad();
        progress.log("raw fsync rate (%d s), for Artemis's journal-buffer-timeout", fsyncWindow.toSeconds());
        double fsyncRate = FsyncProbe.measure(root.path(), fsyncWindow);

        EmbeddedJunction junction = EmbeddedJunction.start(root.resolve("junction"), protocol);
        ArtemisProcess artemis;
        try {
            artemis = artemisClasspath == null ? null : ArtemisProcess.start(artemisClasspath, artemisHeap,
                    root.resolve("artemis"), ArtemisProcess.bufferTimeoutNanos(fsyncRate));
        } catch (Exception e) {
            junction.close();
            throw e;
        }
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(JUNCTION, junction.port(protocol), BrokerProbe.inProcess(junction.store(),
                clientThreads)));
        if (artemis != null) {
            targets.add(new Target(ARTEMIS, artemis.port(protocol), artemis.probe()));
        }
        return new SideBySideBrokers(protocol, junction, artemis, targets, background, fsyncRate, artemisHeap,
                progress);
    }

    /**
     * The header lines of the results: the JVM, both brokers and how they are set up, the machine's
     * background load.
     *
     * @param protocolName the protocol as the results name it, e.g. {@code AMQP}
     * @param client       the load generator's client library, e.g. {@code Qpid JMS}
     */
    String header(String protocolName, String client) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("JVM: %s %s, %d cores; Junction and the load generator (%s) in one JVM, max heap "
                        + "%d MB%n", System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), client, Runtime.getRuntime().maxMemory() >> 20));
        out.append(String.format("Junction: %s listener 127.0.0.1:%d, store.fsync always, other settings default%n",
                protocolName, junction.port(protocol)));
        if (artemis != null) {
            out.append(String.format("Artemis: %s, persistence on, journal-buffer-timeout %d ns (1 / raw fsync rate "
                            + "%,.0f/s), %s acceptor 127.0.0.1:%d, -Xmx%s%n", artemis.description(),
                    ArtemisProcess.bufferTimeoutNanos(fsyncRate), fsyncRate, protocolName, artemis.port(protocol),
                    artemisHeap));
        }
        return out.append("Other processes: ").append(background).append('\n').toString();
    }

    /**
     * Runs every scenario once on each broker, unmeasured, then the measured runs: the scenarios in
     * turn, each on Junction then on Artemis, as many times as the schedule says, so that both
     * brokers see the same machine.
     */
    <S, R> Runs<R> alternate(List<S> scenarios, Schedule schedule, Runner<S, R> runner) throws Exception {
        Runs<R> runs = new Runs<>(new ArrayList<>(), new ArrayList<>());
        // Unmeasured: lets both JVMs compile the hot paths before the first measured run.
        progress.log("JIT warm-up");
        for (S scenario : scenarios) {
            for (Target target : targets) {
                runs.warmUp().add(runner.run(target, scenario, "warm", Duration.ZERO, JIT_WARM_UP));
            }
        }
        for (int repetition = 1; repetition <= schedule.repetitions(); repetition++) {
            for (S scenario : scenarios) {
                for (Target target : targets) {
                    runs.measured().add(runner.run(target, scenario, "r" + repetition, schedule.warmUp(),
                            schedule.window()));
                }
            }
        }
        return runs;
    }

    @Override
    public void close() {
        try {
            if (artemis != null) {
                artemis.close();
            }
        } finally {
            junction.close();
        }
    }
}
