package io.junction.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy all the machine's cores were between two samples, from /proc/stat (every process
 * counts, the broker's, the load generator's and anyone else's): tells whether a run was bound by
 * the CPU rather than by the disk.
 */
public record MachineCpu(long busy, long total) {

    private static final Path STAT = Path.of("/proc/stat");
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");

    /**
     * The machine's cores, from /proc/stat: unlike {@code availableProcessors()}, not narrowed by a
     * taskset pinning of this JVM.
     */
    public static int cores() {
        try {
            return (int) java.nio.file.Files.readAllLines(STAT).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        } catch (java.io.IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** A sample, or null where /proc/stat cannot be read. */
    public static MachineCpu sample() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
            return new MachineCpu(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The 1-minute load average, or "n/a". */
    public static String loadAverage() {
        try {
            return Files.readString(LOAD_AVERAGE).trim().split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * How busy the machine is before a run, over 2 s: other processes share its cores and its disk.
     * E.g. "3% of both cores busy in the 2 s before the run, load average 0.79".
     */
    public static String backgroundLoad() throws InterruptedException {
        MachineCpu start = sample();
        Thread.sleep(2000);
        MachineCpu end = sample();
        return String.format("%s of both cores busy in the 2 s before the run, load average %s",
                Table.percent(end == null ? Double.NaN : end.busySince(start)), loadAverage());
    }

    /** Share of the time the cores were busy from {@code earlier} to this sample; NaN without samples. */
    public double busySince(MachineCpu earlier) {
        return earlier == null || total == earlier.total ? Double.NaN
                : (double) (busy - earlier.busy) / (total - earlier.total);
    }
}
