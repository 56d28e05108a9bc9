package io.junction.interop.durability;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** STOMP 1.2 steps over a {@link RawStompClient} that the durability tests share. */
final class StompSteps {

    static final String VERSION = "1.2";

    private StompSteps() {
    }

    /** Subscribes with {@code client-individual} acks (subscription id 0) and waits for the broker to confirm. */
    static void subscribe(RawStompClient client, String destination, String... extraHeaders) throws IOException {
        List<String> headers = new ArrayList<>(List.of("id:0", "destination:" + destination, "ack:client-individual",
                "receipt:subscribed"));
        headers.addAll(List.of(extraHeaders));
        client.write(RawStompClient.frame("SUBSCRIBE", headers.toArray(String[]::new)));
        awaitReceipt(client, "subscribed");
    }

    /** Sends and waits for the RECEIPT; an ERROR or anything else fails with what came instead. */
    static void send(RawStompClient client, String destination, String body, boolean persistent) throws IOException {
        client.write(sendFrame(destination, body, persistent, "r-" + body));
        awaitReceipt(client, "r-" + body);
    }

    static String sendFrame(String destination, String body, boolean persistent, String receipt) {
        return RawStompClient.frameWithBody("SEND", body, "destination:" + destination,
                "persistent:" + persistent, "receipt:" + receipt);
    }

    static void awaitReceipt(RawStompClient client, String receiptId) throws IOException {
        RawFrame frame = client.readFrame();
        if (!frame.command().equals("RECEIPT") || !receiptId.equals(frame.header("receipt-id"))) {
            throw new AssertionError("expected RECEIPT " + receiptId + ", got " + frame);
        }
    }

    /**
     * Takes the MESSAGE frames of subscription 0, acknowledging each, until none arrives for
     * {@code quiet}; anything but a MESSAGE fails.
     */
    static List<RawFrame> consumeUntilQuiet(RawStompClient client, Duration quiet) throws IOException {
        List<RawFrame> messages = new ArrayList<>();
        while (true) {
            RawFrame frame;
            try {
                frame = client.readFrame(quiet);
            } catch (SocketTimeoutException quietNow) {
                return messages;
            }
            if (!frame.command().equals("MESSAGE")) {
                throw new AssertionError("expected MESSAGE, got " + frame + " after " + messages.size() + " messages");
            }
            messages.add(frame);
            client.write(RawStompClient.frame("ACK", "id:" + frame.header("ack")));
        }
    }
}
