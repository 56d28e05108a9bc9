package io.junction.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker running in another process, as a benchmark sees it from outside: its CPU time and RSS
 * from /proc, its open files, and for a JVM its live heap through {@code jcmd}. Shared by the MQTT
 * benchmark and the load generator (bench/loadgen).
 */
public record BrokerProcess(long pid) {

    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
    private static final long TICK_NANOS = 10_000_000L;

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** User + system CPU time of the process so far, from /proc/<pid>/stat (clock ticks of 10 ms), or -1. */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of the process in KB, or -1. */
    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not readable: reported as n/a
        }
        return -1;
    }

    /** Open file descriptors of the process, or -1. */
    public long openFiles() {
        try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return files.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The live heap of a JVM: {@code jcmd <pid> GC.class_histogram}, which runs a full GC first and
     * then counts every object still reachable. Null when the process is not a JVM (or cannot be
     * attached to).
     */
    public Histogram liveHeap() throws InterruptedException {
        if (!jvm()) {
            return null; // jcmd's attach could send SIGQUIT to a process that does not expect it
        }
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return Histogram.parse(new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the process is a HotSpot JVM: libjvm.so is mapped into it. */
    public boolean jvm() {
        try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            return lines.anyMatch(line -> line.endsWith("/libjvm.so"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A class histogram of live objects: bytes and instances per class, and the totals. */
    public record Histogram(long totalBytes, long totalInstances, Map<String, long[]> classes) {

        static Histogram parse(String text) {
            Map<String, long[]> classes = new HashMap<>();
            long totalBytes = -1;
            long totalInstances = -1;
            for (String line : List.of(text.split("\n"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    classes.merge(f[3], new long[]{Long.parseLong(f[1]), Long.parseLong(f[2])},
                            (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
                } else if (f.length >= 3 && f[0].equals("Total")) {
                    totalInstances = Long.parseLong(f[1]);
                    totalBytes = Long.parseLong(f[2]);
                }
            }
            if (totalBytes < 0) {
                return null;
            }
            return new Histogram(totalBytes, totalInstances, classes);
        }
    }
}
