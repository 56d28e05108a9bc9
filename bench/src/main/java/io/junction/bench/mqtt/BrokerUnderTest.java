package io.junction.bench.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A broker process the benchmark drives, given on the command line as
 * {@code label@[transport://]host:port:pid[:scenario+scenario...]}: how and where it listens
 * (transport {@code tcp}, the default, {@code tls}, {@code ws} or {@code wss}), and its process id
 * for what the benchmark reads from outside (CPU time and RSS from /proc; for a JVM, the live heap
 * through {@code jcmd}). Several entries may name the same process (one per listener).
 */
record BrokerUnderTest(String label, Transport transport, String host, int port, long pid, Set<String> scenarios) {

    /** How the load generator reaches the listener. */
    enum Transport {
        TCP, TLS, WS, WSS;

        boolean tls() {
            return this == TLS || this == WSS;
        }

        boolean webSocket() {
            return this == WS || this == WSS;
        }
    }

    static BrokerUnderTest parse(String spec) {
        int at = spec.indexOf('@');
        String address = spec.substring(at + 1);
        int scheme = address.indexOf("://");
        Transport transport = scheme < 0 ? Transport.TCP
                : Transport.valueOf(address.substring(0, scheme).toUpperCase(java.util.Locale.ROOT));
        String[] parts = address.substring(scheme < 0 ? 0 : scheme + 3).split(":");
        if (at <= 0 || parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException(
                    "--broker takes label@[transport://]host:port:pid[:scenario+...], was " + spec);
        }
        Set<String> scenarios = parts.length == 4 ? Set.of(parts[3].split("\\+")) : Set.of();
        return new BrokerUnderTest(spec.substring(0, at), transport, parts[0], Integer.parseInt(parts[1]),
                Long.parseLong(parts[2]), scenarios);
    }

    boolean runs(String scenario) {
        return scenarios.isEmpty() || scenarios.contains(scenario);
    }

    boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** User + system CPU time of the broker process so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of the broker process in KB, or -1. */
    long rssKb() {
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

    /** Open file descriptors of the broker process, or -1. */
    long openFiles() {
        try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return files.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The live heap of a JVM broker: {@code jcmd <pid> GC.class_histogram}, which runs a full GC
     * first and then counts every object still reachable. Null when the process is not a JVM (or
     * cannot be attached to).
     */
    Histogram liveHeap() throws InterruptedException {
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

    /** A class histogram of live objects: bytes and instances per class, and the totals. */
    record Histogram(long totalBytes, long totalInstances, Map<String, long[]> classes) {

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
