package io.junction.core.store.journal;

/**
 * A record's place in the journal packed into one long: segment id in the high 32 bits, byte
 * offset in the low 32, so an index can hold millions of them without objects.
 */
public final class Locations {

    private Locations() {
    }

    public static long of(long segmentId, int offset) {
        return (segmentId << 32) | (offset & 0xFFFFFFFFL);
    }

    public static long segment(long location) {
        return location >>> 32;
    }

    public static int offset(long location) {
        return (int) location;
    }

    public static String describe(long location) {
        return "segment " + segment(location) + " offset " + offset(location);
    }
}
