package io.junction.interop.flood;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the broker JVM's {@code -Xlog:gc:file=...} says about its heap: every pause line carries
 * {@code <before>-><after>(<committed>)}, e.g.
 * {@code [12.3s][info][gc] GC(41) Pause Young (Normal) (G1 Evacuation Pause) 180M->42M(256M) 6.1ms}.
 * The figure after a collection is what the broker really holds (its live data plus what the
 * collector did not get to); if that approaches {@code -Xmx}, the next allocation fails.
 * {@code fullCollections} counts the full pauses G1 made because the heap was exhausted (not those
 * asked for by {@code System.gc()} or {@code jcmd}).
 */
record GcLog(int collections, int fullCollections, long maxAfterBytes, String maxAfterLine, long maxBeforeBytes,
             long maxCommittedBytes, long lastAfterBytes, boolean outOfMemory) {

    private static final Pattern SIZES = Pattern.compile("(\\d+)([BKMG])->(\\d+)([BKMG])\\((\\d+)([BKMG])\\)");

    static GcLog read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new GcLog(0, 0, 0, null, 0, 0, 0, false);
        }
        List<String> lines = Files.readAllLines(file);
        int collections = 0;
        int full = 0;
        long maxAfter = 0;
        String maxAfterLine = null;
        long maxBefore = 0;
        long maxCommitted = 0;
        long lastAfter = 0;
        boolean oom = false;
        for (String line : lines) {
            if (line.contains("OutOfMemory")) {
                oom = true;
            }
            Matcher m = SIZES.matcher(line);
            if (!m.find()) {
                continue;
            }
            collections++;
            // G1 collects the whole heap in a pause only when it ran out of room (allocation or
            // evacuation failure), unless asked to (System.gc(), jcmd).
            if (line.contains("Pause Full") && !line.contains("System.gc()") && !line.contains("Diagnostic Command")) {
                full++;
            }
            long before = bytes(m.group(1), m.group(2));
            long after = bytes(m.group(3), m.group(4));
            long committed = bytes(m.group(5), m.group(6));
            if (after > maxAfter) {
                maxAfter = after;
                maxAfterLine = line;
            }
            maxBefore = Math.max(maxBefore, before);
            maxCommitted = Math.max(maxCommitted, committed);
            lastAfter = after;
        }
        return new GcLog(collections, full, maxAfter, maxAfterLine, maxBefore, maxCommitted, lastAfter, oom);
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> n;
        };
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }

    @Override
    public String toString() {
        return collections + " collections (" + fullCollections + " full), heap after GC at most " + mb(maxAfterBytes)
                + ", before GC at most " + mb(maxBeforeBytes) + ", committed at most " + mb(maxCommittedBytes)
                + ", after the last GC " + mb(lastAfterBytes)
                + (maxAfterLine == null ? "" : "; peak line: " + maxAfterLine);
    }
}
