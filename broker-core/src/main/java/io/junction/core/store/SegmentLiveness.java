package io.junction.core.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How much of each journal segment is still needed, which decides what may be deleted and what is
 * worth compacting. Confined to the journal's writer thread.
 *
 * <p>A record that states something (a message, a queue, a state value) is live while it is the
 * current statement. A record that cancels one (an ack, a state removal) is live while the
 * record it cancels is still on disk in an older segment: dropping it earlier would bring the
 * cancelled record back on the next replay. So deleting a segment can free later segments.
 */
final class SegmentLiveness {

    private static final class Stats {
        long liveBytes;
        int liveRecords;
        /** Cancel records in this segment, per segment they cancel into: {count, bytes}. */
        final Map<Long, long[]> cancels = new HashMap<>();
    }

    private final TreeMap<Long, Stats> segments = new TreeMap<>();
    /** Target segment -> segments holding cancel records for it. */
    private final Map<Long, Set<Long>> cancelledFrom = new HashMap<>();

    void live(long segment, int bytes) {
        Stats s = stats(segment);
        s.liveBytes += bytes;
        s.liveRecords++;
    }

    void dead(long segment, int bytes) {
        Stats s = segments.get(segment);
        if (s != null) {
            s.liveBytes -= bytes;
            s.liveRecords--;
        }
    }

    /** A cancel record in {@code segment} for a record in {@code target}. */
    void cancel(long segment, long target, int bytes) {
        stats(segment);
        if (target >= segment || !segments.containsKey(target)) {
            return;
        }
        Stats s = segments.get(segment);
        long[] counts = s.cancels.computeIfAbsent(target, t -> new long[2]);
        counts[0]++;
        counts[1] += bytes;
        s.liveRecords++;
        s.liveBytes += bytes;
        cancelledFrom.computeIfAbsent(target, t -> new HashSet<>()).add(segment);
    }

    /** Whether a cancel record in {@code segment} for {@code target} is still needed. */
    boolean cancelNeeded(long segment, long target) {
        return target < segment && segments.containsKey(target);
    }

    void deleted(long segment) {
        Stats s = segments.remove(segment);
        if (s == null) {
            return;
        }
        for (Long target : s.cancels.keySet()) {
            Set<Long> from = cancelledFrom.get(target);
            if (from != null) {
                from.remove(segment);
            }
        }
        Set<Long> dependents = cancelledFrom.remove(segment);
        if (dependents != null) {
            for (Long dependent : dependents) {
                Stats d = segments.get(dependent);
                long[] counts = d == null ? null : d.cancels.remove(segment);
                if (counts != null) {
                    d.liveRecords -= (int) counts[0];
                    d.liveBytes -= counts[1];
                }
            }
        }
    }

    boolean contains(long segment) {
        return segments.containsKey(segment);
    }

    int liveRecords(long segment) {
        Stats s = segments.get(segment);
        return s == null ? 0 : s.liveRecords;
    }

    long liveBytes(long segment) {
        Stats s = segments.get(segment);
        return s == null ? 0 : s.liveBytes;
    }

    /** Of the given segments, those with nothing live. */
    List<Long> empty(List<Long> candidates) {
        List<Long> result = new ArrayList<>();
        for (long segment : candidates) {
            if (liveRecords(segment) <= 0) {
                result.add(segment);
            }
        }
        return result;
    }

    /** Of the given segments, the one with the least live data under {@code maxLiveBytes}, or -1. */
    long sparsest(List<Long> candidates, long maxLiveBytes) {
        long best = -1;
        long bestBytes = Long.MAX_VALUE;
        for (long segment : candidates) {
            long bytes = liveBytes(segment);
            if (bytes < maxLiveBytes && bytes < bestBytes) {
                best = segment;
                bestBytes = bytes;
            }
        }
        return best;
    }

    private Stats stats(long segment) {
        return segments.computeIfAbsent(segment, s -> new Stats());
    }
}
