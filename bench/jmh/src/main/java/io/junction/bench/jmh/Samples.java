package io.junction.bench.jmh;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The messages the codec and conversion benchmarks start from, alike for every protocol. */
public final class Samples {

    public static final String QUEUE = "orders.eu";
    public static final String TOPIC = "sensors/s17/d42/m3";

    private Samples() {
    }

    /** A payload of ASCII letters (a valid text body too), of the given size in bytes. */
    public static byte[] payload(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return payload;
    }

    public static String text(int size) {
        return new String(payload(size), StandardCharsets.US_ASCII);
    }

    /**
     * A persistent message to {@link #QUEUE} as a JMS client sends it: a message id, a
     * correlation id and three application properties.
     */
    public static Message coreMessage(int size, BodyType bodyType) {
        return Message.builder(Destination.queue(QUEUE)).persistent(true).priority(4)
                .timestamp(1_700_000_000_000L).messageId("ID:bench-producer-1:1:1:1").correlationId("order-4711")
                .property("region", "eu").property("amount", 250.0).property("customer", 4711L)
                .body(bodyType, Arrays.copyOf(payload(size), size)).build();
    }
}
