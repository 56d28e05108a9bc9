package io.junction.bench;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the cases of one run measured, rendered as markdown tables with the targets of issue 3. */
final class Report {

    private final Duration window;
    private final Duration warmUp;
    private final int repetitions;
    final List<SendLoad.Result> junctionSends = new ArrayList<>();
    final List<SendLoad.Result> artemisSends = new ArrayList<>();
    String background;
    String artemis;
    double fsyncRate;
    double fsyncRateAfterSends;
    RecoveryBench.Result recovery;
    CompactionBench.Result compaction;
    List<SlowDiskGroupCommit.Result> slowDisk;

    Report(Duration window, Duration warmUp, int repetitions) {
        this.window = window;
        this.warmUp = warmUp;
        this.repetitions = repetitions;
    }

    String render() {
        return header() + String.format("Persistent 1 KB sends, fsync always, synchronous STOMP producers (one receipt per "
                        + "send), %d s after a %d s warm-up; the median of %d runs, Junction and Artemis alternating "
                        + "(min-max in brackets). The other columns are those of the median run: journal records per "
                        + "fsync (Junction only), the broker's CPU time per message (Junction: its JVM less the load "
                        + "generator's threads; Artemis: its process), and the share of both cores busy with any "
                        + "process.%n%n",
                window.toSeconds(), warmUp.toSeconds(), repetitions)
                + sends() + '\n' + store() + '\n' + targets() + '\n' + slowDisk();
    }

    /** Case 5 alone ({@code --only=slow-disk}). */
    String renderSlowDiskOnly() {
        return header() + slowDisk();
    }

    private String header() {
        Runtime runtime = Runtime.getRuntime();
        return String.format("Date: %s%nJVM: %s %s (%s), %d cores; Junction and the load generator in one JVM, "
                        + "max heap %d MB%nArtemis: %s%nOther processes: %s%n%n",
                ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), runtime.availableProcessors(), runtime.maxMemory() >> 20,
                artemis == null ? "not run (no --artemis-classpath)" : artemis, background);
    }

    /** Case 5: the store's group commit on a simulated 720 fsync/s disk, with the targets for that disk. */
    private String slowDisk() {
        int rate = SlowDiskGroupCommit.SIMULATED_FSYNC_RATE;
        StringBuilder text = new StringBuilder(String.format("Group commit on a simulated %d fsync/s disk: the "
                + "MessageStore alone, in-process (no broker, no network, no STOMP), fsync always, on the real "
                + "disk with each journal force stretched to 1/%d s (the real force, then a sleep for the rest); "
                + "1 KB persistent messages into one durable queue, each thread waiting for its addMessage "
                + "future before the next; %d s per row, after a 0.5 s ramp-up, on one store after a 1 s "
                + "16-thread warm-up.%n%n", rate, rate, Math.round(slowDisk.get(0).seconds())));
        Table table = new Table("threads", "msg/s", "msg/fsync", "fsyncs/s", "mean force (real part)",
                rate + " x threads");
        for (SlowDiskGroupCommit.Result r : slowDisk) {
            table.row(Integer.toString(r.producers()), number(r.rate()), decimal(r.perFsync()),
                    number(r.forcesPerSecond()), String.format(Locale.ROOT, "%.2f ms (%.2f ms)", r.forceMillis(),
                            r.realForceMillis()), number((double) rate * r.producers()));
        }
        text.append(table.render()).append('\n');
        SlowDiskGroupCommit.Result r16 = slowDisk.stream().filter(r -> r.producers() == 16).findFirst().orElseThrow();
        double target = 0.7 * rate * 16;
        Table targets = new Table("target (issue 3, " + rate + " fsync/s disk, simulated)", "measured", "met");
        targets.row(String.format("16 threads >= 70%% x %d x 16 = %s msg/s", rate, number(target)),
                number(r16.rate()) + " msg/s", verdict(r16.rate() >= target));
        targets.row("16 threads >= 12 msgs per fsync", decimal(r16.perFsync()), verdict(r16.perFsync() >= 12));
        return text.append(targets.render()).toString();
    }

    private String sends() {
        Table table = new Table("producers", "Junction msg/s", "msg/fsync", "CPU us/msg", "Artemis msg/s",
                "CPU us/msg", "Junction / Artemis", "machine busy J / A", "raw fsync rate x producers");
        for (int producers : Bench.PRODUCERS) {
            SendLoad.Result j = median(junctionSends, producers);
            SendLoad.Result a = median(artemisSends, producers);
            table.row(Integer.toString(producers), rates(junctionSends, producers), decimal(j.perFsync()),
                    number(j.brokerCpuMicrosPerMessage()), a == null ? "-" : rates(artemisSends, producers),
                    a == null ? "-" : number(a.brokerCpuMicrosPerMessage()),
                    a == null ? "-" : decimal(j.rate() / a.rate()),
                    Table.percent(j.machineBusy()) + " / " + (a == null ? "-" : Table.percent(a.machineBusy())),
                    number(fsyncRate * producers));
        }
        return table.render();
    }

    /** The run with the median rate among those with this many producers, or null if none ran. */
    private static SendLoad.Result median(List<SendLoad.Result> results, int producers) {
        List<SendLoad.Result> runs = runs(results, producers);
        return runs.isEmpty() ? null : runs.get(runs.size() / 2);
    }

    /** "median (min-max)" of the rates. */
    private static String rates(List<SendLoad.Result> results, int producers) {
        List<SendLoad.Result> runs = runs(results, producers);
        return number(runs.get(runs.size() / 2).rate()) + " (" + number(runs.get(0).rate()) + "-"
                + number(runs.get(runs.size() - 1).rate()) + ")";
    }

    private static List<SendLoad.Result> runs(List<SendLoad.Result> results, int producers) {
        return results.stream().filter(r -> r.producers() == producers)
                .sorted(Comparator.comparingDouble(SendLoad.Result::rate)).toList();
    }

    private String store() {
        Table table = new Table("measure", "result");
        table.row("raw fsync rate, 4 KB appends + force(false)", String.format("%s fsyncs/s before the sends, "
                + "%s after", number(fsyncRate), number(fsyncRateAfterSends)));
        table.row("recovery: fill (pipelined STOMP, 1 connection)", String.format("%s msgs in %s s (%s msg/s), "
                        + "journal %s MB", number(recovery.messages()), decimal(recovery.fillSeconds()),
                number(recovery.messages() / recovery.fillSeconds()), number(recovery.journalBytes() >> 20)));
        table.row("recovery: JunctionServer.start() on the filled data", decimal(recovery.startSeconds()) + " s");
        table.row("recovery: from start() until the queue holds every message",
                decimal(recovery.queuedSeconds()) + " s");
        double span = compaction.seconds();
        long segmentMegabytes = compaction.segmentSize() >> 20;
        table.row("compaction: journal after the fill (1 msg in " + CompactionBench.KEEP_EVERY + " kept)",
                String.format("%s msgs, %d segments of %d MB, %s MB of live bodies", number(compaction.messages()),
                        compaction.segmentsBefore(), segmentMegabytes, decimal(compaction.liveBytes() / 1048576.0)));
        table.row("compaction: reclaimed from the drain's start", String.format("%d segments deleted in %s s = "
                        + "%s segments/s, %s MB/s; %d segments left (the drain took %s s)",
                compaction.segmentsDeleted(), decimal(span), decimal(perSecond(compaction.segmentsDeleted(), span)),
                decimal(perSecond(compaction.segmentsDeleted() * segmentMegabytes, span)),
                compaction.segmentsAfter(), decimal(compaction.drainSeconds())));
        table.row("compaction: records carried forward", String.format("%s records, %s records/s",
                number(compaction.recordsCarried()), number(perSecond(compaction.recordsCarried(), span))));
        table.row("compaction: journal segments, once a second from the drain's start",
                compaction.timeline().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        return table.render();
    }

    private String targets() {
        SendLoad.Result j16 = median(junctionSends, 16);
        String recoveryOf = "recovery of " + number(recovery.messages()) + " msgs < 10 s";
        Table table = new Table("target (issue 3)", "measured", "met");
        throughputRow(table, j16, fsyncRate, "before");
        throughputRow(table, j16, fsyncRateAfterSends, "after");
        table.row("16 producers >= 12 msgs per fsync", decimal(j16.perFsync()), verdict(j16.perFsync() >= 12));
        table.row(recoveryOf + ": start() returns", decimal(recovery.startSeconds()) + " s",
                verdict(recovery.startSeconds() < 10));
        table.row(recoveryOf + ": the queue holds them all", decimal(recovery.queuedSeconds()) + " s",
                verdict(recovery.queuedSeconds() < 10));
        return table.render();
    }

    /** The 16-producer target against one measurement of the raw fsync rate. */
    private static void throughputRow(Table table, SendLoad.Result j16, double fsyncRate, String when) {
        double target = 0.7 * fsyncRate * 16;
        table.row(String.format("16 producers >= 70%% x raw fsync rate (%s/s, %s the sends) x 16 = %s msg/s",
                number(fsyncRate), when, number(target)), number(j16.rate()) + " msg/s", verdict(j16.rate() >= target));
    }

    /** NaN (printed n/a) when nothing was timed. */
    private static double perSecond(double count, double seconds) {
        return seconds > 0 ? count / seconds : Double.NaN;
    }

    private static String verdict(boolean met) {
        return met ? "yes" : "NO";
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String decimal(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
    }
}
