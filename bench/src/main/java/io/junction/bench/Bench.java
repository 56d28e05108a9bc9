package io.junction.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Runs the store benchmarks once and prints the result tables (markdown) on stdout:
 * <ol>
 *   <li>the disk's raw fsync rate for small appends;</li>
 *   <li>persistent 1 KB send throughput with 1, 4 and 16 synchronous STOMP producers under
 *       {@code fsync: always}, and messages per fsync, for Junction and, side by side, for
 *       ActiveMQ Artemis when its class path is given;</li>
 *   <li>recovery time of a queue of stored messages;</li>
 *   <li>compaction throughput;</li>
 *   <li>the store's group commit (messages per fsync, throughput) with 1, 4 and 16 threads on a
 *       simulated disk doing 720 fsyncs/s, the disk issue 3's targets were set for.</li>
 * </ol>
 * Junction runs in this JVM, Artemis in its own. Case 2 alternates between them so that both see
 * the same machine, and repeats each run (the tables give the median). Every file goes to one
 * temporary directory, deleted at the end.
 *
 * <p>Options ({@code --name=value}): {@code artemis-classpath} (no Artemis column without it),
 * {@code artemis-heap} (default 1g), {@code send-seconds} (default 5), {@code warmup-seconds}
 * (default 1), {@code repetitions} (of case 2, default 3), {@code fsync-seconds} (default 3),
 * {@code recovery-messages} (default 1000000), {@code compaction-messages} (default 300000),
 * {@code slow-disk-seconds} (of each case-5 run, default 3), {@code only} ({@code slow-disk}: case 5
 * alone).
 */
public final class Bench {

    static final int[] PRODUCERS = {1, 4, 16};
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(3);
    private static final Set<String> OPTIONS = Set.of("artemis-classpath", "artemis-heap", "send-seconds",
            "warmup-seconds", "fsync-seconds", "repetitions", "recovery-messages", "compaction-messages",
            "slow-disk-seconds", "only");
    /** The one value of {@code --only}: case 5 by itself. */
    private static final String SLOW_DISK = "slow-disk";
    private static final Progress PROGRESS = new Progress("bench");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, OPTIONS);
        Duration window = options.seconds("send-seconds", 5);
        Duration warmUp = options.seconds("warmup-seconds", 1);
        Duration fsyncWindow = options.seconds("fsync-seconds", 3);
        int repetitions = options.integer("repetitions", 3);
        long recoveryMessages = options.longInteger("recovery-messages", 1_000_000);
        long compactionMessages = options.longInteger("compaction-messages", 300_000);
        String artemisClasspath = options.get("artemis-classpath");
        String artemisHeap = options.get("artemis-heap", "1g");
        Duration slowDiskWindow = options.seconds("slow-disk-seconds", 3);
        String only = options.get("only");
        if (only != null && !only.equals(SLOW_DISK)) {
            throw new IllegalArgumentException("--only takes " + SLOW_DISK + " (case 5), was " + only);
        }

        Report report = new Report(window, warmUp, repetitions);
        if (only != null) {
            try (TempDirectory root = new TempDirectory("junction-bench-")) {
                PROGRESS.log("background load (2 s)");
                report.background = MachineCpu.backgroundLoad();
                report.slowDisk = slowDisk(root.resolve("slow-disk"), slowDiskWindow);
            }
            System.out.println(report.renderSlowDiskOnly());
            return;
        }
        try (TempDirectory root = new TempDirectory("junction-bench-")) {
            PROGRESS.log("background load (2 s)");
            report.background = MachineCpu.backgroundLoad();

            PROGRESS.log("case 1: raw fsync rate (%d s)", fsyncWindow.toSeconds());
            report.fsyncRate = FsyncProbe.measure(root.path(), fsyncWindow);

            PROGRESS.log("case 2: persistent sends, Junction and Artemis alternating, %d repetitions", repetitions);
            long bufferTimeout = ArtemisProcess.bufferTimeoutNanos(report.fsyncRate);
            try (ArtemisProcess artemis = artemisClasspath == null ? null
                    : ArtemisProcess.start(artemisClasspath, artemisHeap, root.resolve("artemis-send"), bufferTimeout)) {
                if (artemis != null) {
                    report.artemis = String.format("%s, journal-buffer-timeout %d ns (1 / raw fsync rate), -Xmx%s",
                            artemis.description(), bufferTimeout, artemisHeap);
                }
                // Unmeasured: lets both JVMs compile the hot paths before the first measured run.
                sendToJunction(root.resolve("junction-send"), 16, Duration.ZERO, JIT_WARM_UP);
                if (artemis != null) {
                    sendToArtemis(artemis, 16, Duration.ZERO, JIT_WARM_UP);
                }
                for (int repetition = 0; repetition < repetitions; repetition++) {
                    for (int producers : PRODUCERS) {
                        report.junctionSends.add(sendToJunction(root.resolve("junction-send"), producers, warmUp,
                                window));
                        if (artemis != null) {
                            report.artemisSends.add(sendToArtemis(artemis, producers, warmUp, window));
                        }
                    }
                }
            }
            TempDirectory.delete(root.resolve("artemis-send"));

            PROGRESS.log("case 1 again: raw fsync rate after the sends (%d s)", fsyncWindow.toSeconds());
            report.fsyncRateAfterSends = FsyncProbe.measure(root.path(), fsyncWindow);

            PROGRESS.log("case 3: recovery of %,d messages", recoveryMessages);
            report.recovery = RecoveryBench.run(root.resolve("recovery"), recoveryMessages);
            TempDirectory.delete(root.resolve("recovery"));

            PROGRESS.log("case 4: compaction after %,d messages", compactionMessages);
            report.compaction = CompactionBench.run(root.resolve("compaction"), compactionMessages);
            TempDirectory.delete(root.resolve("compaction"));

            report.slowDisk = slowDisk(root.resolve("slow-disk"), slowDiskWindow);
        }
        System.out.println(report.render());
    }

    private static List<SlowDiskGroupCommit.Result> slowDisk(Path directory, Duration window) throws Exception {
        PROGRESS.log("case 5: group commit on a simulated %d fsync/s disk (%d s per thread count)",
                SlowDiskGroupCommit.SIMULATED_FSYNC_RATE, window.toSeconds());
        try {
            return SlowDiskGroupCommit.run(directory, PRODUCERS, window);
        } finally {
            TempDirectory.delete(directory);
        }
    }

    /**
     * One run of case 2 on a new Junction broker with an empty data directory, so that its journal
     * holds nothing but the run's messages (and maintenance has nothing to do).
     */
    private static SendLoad.Result sendToJunction(Path home, int producers, Duration warmUp, Duration window)
            throws Exception {
        try (EmbeddedJunction junction = EmbeddedJunction.start(home)) {
            return SendLoad.run(junction.stompPort(), queue(producers), producers, warmUp, window,
                    BrokerProbe.inProcess(junction.store()));
        } finally {
            TempDirectory.delete(home);
        }
    }

    /**
     * One run of case 2 on the running Artemis, then (unmeasured) a consumer takes every message
     * the run left, so that each run starts from an empty queue; the JVM stays warm.
     */
    private static SendLoad.Result sendToArtemis(ArtemisProcess artemis, int producers, Duration warmUp,
                                                 Duration window) throws Exception {
        SendLoad.Result result = SendLoad.run(artemis.stompPort(), queue(producers), producers, warmUp, window,
                artemis.probe());
        Drain.receive(artemis.stompPort(), queue(producers), result.sent());
        return result;
    }

    private static String queue(int producers) {
        return "/queue/bench.send." + producers;
    }
}
