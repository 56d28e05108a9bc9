package io.junction.interop.flood;

import io.junction.interop.raw.RawStompClient;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Drains a queue as fast as the broker delivers and checks the order: the sequence number at the
 * start of each body (see {@link FloodProducer}) must be exactly one more than the previous one.
 * Frames are parsed in place in one large buffer, without decoding headers into strings or
 * copying bodies, so a million messages cost the test JVM next to nothing.
 */
final class FloodConsumer implements Closeable {

    private static final byte[] MESSAGE = "MESSAGE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ANOMALIES = 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 20];
    private int position;
    private int limit;

    // The frame last parsed.
    private boolean isMessage;
    private int commandEnd;
    private int frameStart;
    private int bodyStart;
    private int bodyLength;

    private FloodConsumer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** What the drain saw. */
    record Drained(long expected, long received, long distinct, long duplicates, long lastSequence,
                   int wrongBodySizes, List<String> anomalies, Duration duration, String stoppedBecause) {

        long missing() {
            return expected - distinct;
        }

        boolean complete() {
            return received == expected && distinct == expected && duplicates == 0 && anomalies.isEmpty()
                    && wrongBodySizes == 0;
        }

        double messagesPerSecond() {
            return received * 1e9 / Math.max(1, duration.toNanos());
        }

        @Override
        public String toString() {
            return "received " + received + " of " + expected + " (distinct " + distinct + ", missing " + missing()
                    + ", duplicates " + duplicates + ", last sequence " + lastSequence + ", bodies of the wrong size "
                    + wrongBodySizes + ") in " + duration.toMillis() + " ms"
                    + (stoppedBecause == null ? "" : "; stopped: " + stoppedBecause)
                    + (anomalies.isEmpty() ? "" : "; first out-of-order deliveries: " + anomalies);
        }
    }

    /** Connects (no heart-beats) and subscribes to the destination. */
    static FloodConsumer subscribe(int port, String destination, String ackMode, int prefetch) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1 << 20);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        FloodConsumer consumer = new FloodConsumer(socket);
        try {
            socket.setSoTimeout(10_000);
            consumer.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0"));
            String connected = consumer.nextOtherFrame();
            if (!connected.startsWith("CONNECTED\n")) {
                throw new AssertionError("expected CONNECTED, got " + connected);
            }
            consumer.write(RawStompClient.frame("SUBSCRIBE", "id:flood", "destination:" + destination,
                    "ack:" + ackMode, "activemq.prefetchSize:" + prefetch, "receipt:subscribed"));
            String receipt = consumer.nextOtherFrame();
            if (!receipt.startsWith("RECEIPT\n") || !receipt.contains("receipt-id:subscribed")) {
                throw new AssertionError("expected the RECEIPT of SUBSCRIBE, got " + receipt);
            }
        } catch (IOException | AssertionError e) {
            socket.close();
            throw e;
        }
        return consumer;
    }

    /**
     * Reads MESSAGE frames until every one of {@code 1..count} arrived, or nothing arrives for
     * {@code stall} (then the result says what was missing), or the deadline closes the socket.
     * Afterwards waits {@code quiet} for anything more (a duplicate of the last ones).
     * Bodies must be {@code bodySize} bytes.
     */
    Drained drain(long count, int bodySize, Duration stall, Duration quiet, Deadline deadline) throws IOException {
        BitSet seen = new BitSet((int) count + 1);
        List<String> anomalies = new ArrayList<>();
        long received = 0;
        long distinct = 0;
        long duplicates = 0;
        long last = 0;
        int wrongSizes = 0;
        String stoppedBecause = null;
        long start = System.nanoTime();
        deadline.register(socket);
        try {
            socket.setSoTimeout((int) stall.toMillis());
            boolean quietPhase = false;
            while (true) {
                if (distinct == count && !quietPhase) {
                    quietPhase = true;
                    socket.setSoTimeout((int) quiet.toMillis());
                }
                try {
                    if (!nextFrame()) {
                        stoppedBecause = "the broker closed the connection";
                        break;
                    }
                } catch (SocketTimeoutException timeout) {
                    if (!quietPhase) {
                        stoppedBecause = "nothing arrived for " + stall.toMillis() + " ms";
                    }
                    break;
                }
                if (!isMessage) {
                    stoppedBecause = "unexpected frame " + describe();
                    position = frameEnd();
                    break;
                }
                long sequence = sequence();
                position = frameEnd();
                received++;
                if (bodyLength != bodySize) {
                    wrongSizes++;
                }
                if (sequence != last + 1 && anomalies.size() < MAX_ANOMALIES) {
                    anomalies.add("after " + last + " came " + sequence + " (delivery " + received + ")");
                }
                last = sequence;
                if (sequence < 1 || sequence > count) {
                    continue;
                }
                if (seen.get((int) sequence)) {
                    duplicates++;
                } else {
                    seen.set((int) sequence);
                    distinct++;
                }
            }
        } catch (IOException e) {
            if (deadline.expired()) {
                throw deadline.exceeded("the drain (" + received + " of " + count + " received, last " + last + ")", e);
            }
            throw e;
        } finally {
            deadline.unregister(socket);
        }
        long took = System.nanoTime() - start;
        return new Drained(count, received, distinct, duplicates, last, wrongSizes, List.copyOf(anomalies),
                Duration.ofNanos(took), stoppedBecause);
    }

    /** Sends DISCONNECT with a receipt and waits for it. */
    void disconnect() throws IOException {
        socket.setSoTimeout(10_000);
        write(RawStompClient.frame("DISCONNECT", "receipt:drained"));
        String receipt = nextOtherFrame();
        if (!receipt.startsWith("RECEIPT\n") || !receipt.contains("receipt-id:drained")) {
            throw new AssertionError("expected the RECEIPT of DISCONNECT, got " + receipt);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- parsing ----

    private void write(String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next frame, which must not be a MESSAGE, as text. */
    private String nextOtherFrame() throws IOException {
        if (!nextFrame()) {
            throw new EOFException("the broker closed the connection");
        }
        String text = describe();
        position = frameEnd();
        if (isMessage) {
            throw new AssertionError("expected a control frame, got " + text);
        }
        return text;
    }

    /** Ten digits at the start of the body. */
    private long sequence() {
        if (bodyLength < FloodProducer.SEQUENCE_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = bodyStart; i < bodyStart + FloodProducer.SEQUENCE_DIGITS; i++) {
            int digit = buffer[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private int frameEnd() {
        return bodyStart + bodyLength + 1;
    }

    private String describe() {
        int end = Math.min(frameEnd() - 1, bodyStart + 2000);
        return new String(buffer, frameStart, end - frameStart, StandardCharsets.UTF_8);
    }

    /** Makes the next whole frame available in the buffer; false if the connection closed. */
    private boolean nextFrame() throws IOException {
        while (!parse()) {
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            }
            if (limit == buffer.length) {
                throw new IOException("a frame larger than " + buffer.length + " bytes");
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                return false;
            }
            limit += n;
        }
        return true;
    }

    /** Parses the frame at {@link #position} if it is complete in the buffer. */
    private boolean parse() throws IOException {
        int p = position;
        while (p < limit && (buffer[p] == '\n' || buffer[p] == '\r')) {
            p++;
        }
        position = p; // heart-beats (EOLs) between frames are dropped
        frameStart = p;
        int lineEnd = indexOf((byte) '\n', p);
        if (lineEnd < 0) {
            return false;
        }
        commandEnd = lineEnd > p && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        isMessage = equals(p, commandEnd, MESSAGE);
        p = lineEnd + 1;
        int contentLength = -1;
        while (true) {
            lineEnd = indexOf((byte) '\n', p);
            if (lineEnd < 0) {
                return false;
            }
            int end = lineEnd > p && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (end == p) {
                p = lineEnd + 1;
                break;
            }
            if (contentLength < 0 && startsWith(p, end, CONTENT_LENGTH)) {
                contentLength = parseInt(p + CONTENT_LENGTH.length, end);
            }
            p = lineEnd + 1;
        }
        bodyStart = p;
        if (contentLength >= 0) {
            if (bodyStart + contentLength >= limit) {
                return false;
            }
            if (buffer[bodyStart + contentLength] != 0) {
                throw new IOException("no NUL after a body of content-length " + contentLength);
            }
            bodyLength = contentLength;
        } else {
            int nul = indexOf((byte) 0, bodyStart);
            if (nul < 0) {
                return false;
            }
            bodyLength = nul - bodyStart;
        }
        return true;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < limit; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean equals(int from, int to, byte[] text) {
        if (to - from != text.length) {
            return false;
        }
        for (int i = 0; i < text.length; i++) {
            if (buffer[from + i] != text[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(int from, int to, byte[] prefix) {
        return to - from >= prefix.length && equals(from, from + prefix.length, prefix);
    }

    private int parseInt(int from, int to) throws IOException {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = buffer[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IOException("bad content-length: " + new String(buffer, from, to - from, StandardCharsets.US_ASCII));
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
