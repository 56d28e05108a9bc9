package io.junction.bench.loadgen;

import java.nio.ByteBuffer;

/**
 * A message body: the sender's {@link System#nanoTime()} in the first 8 bytes, zeros after. Sender
 * and receiver run in this one JVM, so the receiver's nanoTime less it is the end-to-end latency.
 */
final class Payload {

    private Payload() {
    }

    static ByteBuffer stamped(int bytes) {
        return stamped(bytes, System.nanoTime());
    }

    /** A body stamped with the given nanoTime: a paced sender's due time (see {@link Publisher}). */
    static ByteBuffer stamped(int bytes, long nanos) {
        ByteBuffer payload = ByteBuffer.allocate(Math.max(Long.BYTES, bytes));
        payload.putLong(0, nanos);
        return payload;
    }

    /** The send time stamped into a received payload, or -1 when it is too short to hold one. */
    static long sentNanos(ByteBuffer payload) {
        return payload.remaining() < Long.BYTES ? -1 : payload.getLong(payload.position());
    }
}
