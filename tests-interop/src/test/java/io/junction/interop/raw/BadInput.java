package io.junction.interop.raw;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The kinds of bad input the fuzz test throws at the broker, each generated from a seeded {@link Random}. */
enum BadInput {

    RANDOM_BYTES(false) {
        @Override
        byte[] next(Random random) {
            byte[] bytes = new byte[1 + random.nextInt(4096)];
            random.nextBytes(bytes);
            return bytes;
        }
    },
    TRUNCATED_FRAME(true) {
        @Override
        byte[] next(Random random) {
            byte[] frame = validFrame(random);
            return Arrays.copyOf(frame, random.nextInt(frame.length));
        }
    },
    MUTATED_FRAME(true) {
        @Override
        byte[] next(Random random) {
            byte[] frame = validFrame(random);
            for (int i = random.nextInt(4); i >= 0; i--) {
                frame = mutate(frame, random);
            }
            return frame;
        }
    },
    GARBAGE_AFTER_CONNECT(true) {
        @Override
        byte[] next(Random random) {
            String[] garbage = {"\0\0\0", ":::\n\n", "SEND\n:\n\n\0", "\n\n\n\n", "SUBSCRIBE\nid\n\n\0",
                    "\u00ff\u00fe\n", "ACK\nid:" + "9".repeat(50) + "\n\n\0", "CONNECTED\n\n\0", "\r\r\r\0"};
            return garbage[random.nextInt(garbage.length)].getBytes(StandardCharsets.ISO_8859_1);
        }
    },
    HUGE_CONTENT_LENGTH(true) {
        @Override
        byte[] next(Random random) {
            String[] lengths = {"2147483647", "2147483648", "99999999999999999999", "10485761", "5000000", "-1", "1e9"};
            String frame = "SEND\ndestination:/queue/fuzz\ncontent-length:" + lengths[random.nextInt(lengths.length)]
                    + "\n\n" + "z".repeat(random.nextInt(2048));
            return frame.getBytes(StandardCharsets.US_ASCII);
        }
    };

    private static final List<String> VALID_FRAMES = List.of(
            RawStompClient.frameWithBody("SEND", "fuzz", "destination:/queue/fuzz", "receipt:r1"),
            RawStompClient.frameWithBody("SEND", "fuzz\0body", "destination:/topic/fuzz", "content-length:9"),
            RawStompClient.frame("SUBSCRIBE", "id:s1", "destination:/queue/fuzz", "ack:client-individual"),
            RawStompClient.frame("SUBSCRIBE", "id:s2", "destination:/topic/fuzz.>", "selector:a > 1"),
            RawStompClient.frame("UNSUBSCRIBE", "id:s1"),
            RawStompClient.frame("BEGIN", "transaction:t1"),
            RawStompClient.frame("COMMIT", "transaction:t1"),
            RawStompClient.frame("ACK", "id:1-1"),
            RawStompClient.frame("NACK", "id:1-1"),
            RawStompClient.frame("DISCONNECT", "receipt:bye"));

    private final boolean connectsFirst;

    BadInput(boolean connectsFirst) {
        this.connectsFirst = connectsFirst;
    }

    /** Whether a connection of this kind completes a valid CONNECT before misbehaving. */
    boolean connectsFirst() {
        return connectsFirst;
    }

    /** The next chunk of bytes to write. */
    abstract byte[] next(Random random);

    private static byte[] validFrame(Random random) {
        return VALID_FRAMES.get(random.nextInt(VALID_FRAMES.size())).getBytes(StandardCharsets.UTF_8);
    }

    /** Flips, inserts, deletes or repeats a few bytes. */
    private static byte[] mutate(byte[] frame, Random random) {
        int at = random.nextInt(frame.length);
        int span = 1 + random.nextInt(Math.min(16, frame.length - at));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(frame, 0, at);
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] flipped = Arrays.copyOfRange(frame, at, at + span);
                flipped[0] ^= (byte) (1 << random.nextInt(8));
                out.writeBytes(flipped);
            }
            case 1 -> {
                byte[] inserted = new byte[span];
                random.nextBytes(inserted);
                out.writeBytes(inserted);
                out.write(frame, at, span);
            }
            case 2 -> {
                // the span is deleted
            }
            default -> {
                out.write(frame, at, span);
                out.write(frame, at, span);
            }
        }
        out.write(frame, at + span, frame.length - at - span);
        return out.toByteArray();
    }
}
