package io.junction.bench;

import java.util.Arrays;
import java.util.List;

/**
 * End-to-end latencies of one subscriber, in nanoseconds, kept exactly (one long each) while
 * {@link #recording} is on; written by one thread at a time (the subscriber's event loop or
 * callback). Past its capacity it stops keeping (and counts what it dropped).
 */
public final class LatencyRecorder {

    private final long[] samples;
    private volatile int count;
    private volatile long overflow;
    public volatile boolean recording;

    public LatencyRecorder(int capacity) {
        samples = new long[capacity];
    }

    /** One message sent at {@code sentNanos} and received at {@code nowNanos} (System.nanoTime of one JVM). */
    public void received(long sentNanos, long nowNanos) {
        if (!recording) {
            return;
        }
        int n = count;
        if (n < samples.length) {
            samples[n] = nowNanos - sentNanos;
            count = n + 1;
        } else {
            overflow = overflow + 1;
        }
    }

    /** The percentiles of every recorder's samples together, in microseconds: p50, p99, p99.9, max; and the count. */
    public static Summary summarize(List<LatencyRecorder> recorders) {
        int total = 0;
        for (LatencyRecorder r : recorders) {
            total += r.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (LatencyRecorder r : recorders) {
            int n = r.count;
            System.arraycopy(r.samples, 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        return new Summary(total, percentile(all, 0.50), percentile(all, 0.99), percentile(all, 0.999),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1000.0);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    public record Summary(int samples, double p50Micros, double p99Micros, double p999Micros, double maxMicros) {
    }
}
