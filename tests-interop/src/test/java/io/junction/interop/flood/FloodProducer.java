package io.junction.interop.flood;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A producer as a flood is: it writes SEND frames in large batches over a raw socket without ever
 * waiting for the broker (no receipts), so the only thing that slows it down is TCP back-pressure
 * from a broker that stops reading. Message {@code n} (1-based) carries {@code n} as ten ASCII
 * digits at the start of its body; the rest of the body is filler. The frames are built once and
 * only those digits are rewritten per message, so the producer costs next to nothing but the
 * copy into the socket.
 */
final class FloodProducer {

    /** Digits of the sequence number at the start of each body. */
    static final int SEQUENCE_DIGITS = 10;
    private static final int FRAMES_PER_BATCH = 128;
    private static final String RECEIPT = "flood-producer-done";

    private FloodProducer() {
    }

    /** How the flood went. */
    record Sent(long messages, Duration writing, Duration untilReceipt) {

        double messagesPerSecond() {
            return messages * 1e9 / Math.max(1, untilReceipt.toNanos());
        }
    }

    /**
     * Connects, sends messages {@code 1..count} to the destination in batches, then a DISCONNECT with
     * a receipt, and waits for that receipt (the broker sends it once it has taken every earlier
     * frame). Fails with the broker's ERROR frame if it refuses a send or drops the connection.
     */
    static Sent flood(int port, String destination, long count, int bodySize, boolean persistent, Deadline deadline)
            throws IOException {
        byte[] frame = frame(destination, bodySize, persistent);
        int digitsAt = frame.length - 1 - bodySize;
        byte[] batch = new byte[frame.length * FRAMES_PER_BATCH];
        for (int i = 0; i < FRAMES_PER_BATCH; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }

        RawStompClient client = RawStompClient.connected(port, "1.2", "heart-beat:0,0");
        Closeable closer = client::close;
        deadline.register(closer);
        long start = System.nanoTime();
        long sent = 0;
        try {
            while (sent < count) {
                int frames = (int) Math.min(FRAMES_PER_BATCH, count - sent);
                for (int i = 0; i < frames; i++) {
                    writeDigits(batch, i * frame.length + digitsAt, sent + 1 + i);
                }
                client.write(frames == FRAMES_PER_BATCH ? batch : Arrays.copyOf(batch, frames * frame.length));
                sent += frames;
            }
        } catch (IOException e) {
            throw failure(client, deadline, "the producer's connection failed after " + sent + " of " + count
                    + " messages were written", e);
        }
        long written = System.nanoTime();
        try {
            client.write(RawStompClient.frame("DISCONNECT", "receipt:" + RECEIPT));
            Duration remaining = deadline.budget().minus(deadline.elapsed());
            RawFrame reply = client.readFrame(remaining.isNegative() ? Duration.ofMillis(1) : remaining);
            if (!reply.command().equals("RECEIPT") || !RECEIPT.equals(reply.header("receipt-id"))) {
                throw new AssertionError("expected the RECEIPT for the producer's DISCONNECT after " + count
                        + " messages, got " + reply);
            }
        } catch (IOException e) {
            throw failure(client, deadline, "waiting for the receipt of the producer's DISCONNECT after all "
                    + count + " messages were written", e);
        } finally {
            deadline.unregister(closer);
            client.close();
        }
        long done = System.nanoTime();
        return new Sent(count, Duration.ofNanos(written - start), Duration.ofNanos(done - start));
    }

    /** The SEND frame of one message, with sequence number 0. */
    private static byte[] frame(String destination, int bodySize, boolean persistent) {
        byte[] head = ("SEND\n"
                + "destination:" + destination + "\n"
                + "persistent:" + persistent + "\n"
                + "content-type:application/octet-stream\n"
                + "content-length:" + bodySize + "\n"
                + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + bodySize + 1];
        System.arraycopy(head, 0, frame, 0, head.length);
        Arrays.fill(frame, head.length, head.length + bodySize, (byte) 'x');
        Arrays.fill(frame, head.length, head.length + SEQUENCE_DIGITS, (byte) '0');
        frame[frame.length - 1] = 0;
        return frame;
    }

    /** Writes {@code value} as {@link #SEQUENCE_DIGITS} zero-padded decimal digits at {@code at}. */
    static void writeDigits(byte[] target, int at, long value) {
        for (int i = at + SEQUENCE_DIGITS - 1; i >= at; i--) {
            target[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static AssertionError failure(RawStompClient client, Deadline deadline, String what, IOException e) {
        if (deadline.expired()) {
            return deadline.exceeded(what, e);
        }
        String error;
        try {
            error = "the broker said: " + client.readFrame(Duration.ofSeconds(5));
        } catch (IOException | AssertionError nothing) {
            error = "no ERROR frame from the broker (" + nothing + ")";
        }
        return new AssertionError(what + ": " + e + "; " + error, e);
    }
}
