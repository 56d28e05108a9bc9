package io.junction.interop.flowcontrol;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A STOMP producer's view of a destination at its memory limit under the fail and block policies. */
class FullDestinationTest {

    /** About 0.75 KB per message in memory (with the broker's 256-byte allowance): some 85 fit in 64 KB. */
    private static final String BODY = "x".repeat(512);
    /** More than the fill, and more than the sends one STOMP connection has in flight before it stops reading. */
    private static final int SENDS = 400;
    /** Far longer than the 300 ms heart-beat interval the producer negotiates, plus grace. */
    private static final int HELD_ROUNDS = 15;
    private static final Duration HELD_ROUND = Duration.ofMillis(100);

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker("""
            destinations:
              policies:
                - match: "refusing.>"
                  memoryLimit: 64KB
                  fullPolicy: fail
                - match: "holding.>"
                  memoryLimit: 64KB
                  fullPolicy: block
            """);

    @Test
    void sendToAFullFailingDestinationGetsAnErrorSayingItIsFull() throws IOException {
        try (RawStompClient producer = RawStompClient.connected(broker.stompPort(), "1.2")) {
            for (int i = 0; i < SENDS; i++) {
                producer.write(send("/queue/refusing.orders", i));
                RawFrame reply = producer.readFrame();
                if (!reply.command().equals("RECEIPT")) {
                    assertThat(i).as("sends accepted before the destination was full").isPositive();
                    assertThat(reply.command()).isEqualTo("ERROR");
                    assertThat(reply.header("receipt-id")).isEqualTo("r" + i);
                    assertThat(reply.header("message")).contains("refusing.orders' is full");
                    return;
                }
                assertThat(reply.header("receipt-id")).isEqualTo("r" + i);
            }
            throw new AssertionError(SENDS + " sends to a destination with a 64 KB limit were all accepted");
        }
    }

    @Test
    void sendsToAFullBlockingDestinationAreReceiptedOnlyAfterAConsumerDrainsIt() throws IOException {
        try (RawStompClient producer = RawStompClient.open(broker.stompPort())) {
            RawFrame connected = producer.connect("1.2", "heart-beat:300,0");
            assertThat(connected.header("heart-beat")).isEqualTo("0,300");
            for (int i = 0; i < SENDS; i++) {
                producer.write(send("/queue/holding.orders", i));
            }

            int accepted = receiptsUntilSilence(producer).size();
            assertThat(accepted).as("sends receipted before the destination was full").isBetween(1, SENDS - 1);
            for (int round = 0; round < HELD_ROUNDS; round++) {
                producer.write("\n");
                assertThat(producer.countHeartbeats(HELD_ROUND)).as("frames while held").isZero();
            }

            receiveInOrder("/queue/holding.orders", SENDS);
            for (int i = accepted; i < SENDS; i++) {
                assertThat(producer.readFrame().header("receipt-id")).isEqualTo("r" + i);
            }
            producer.write(RawStompClient.frame("DISCONNECT", "receipt:bye"));
            assertThat(producer.readFrame().header("receipt-id")).isEqualTo("bye");
        }
    }

    private static String send(String destination, int number) {
        return RawStompClient.frameWithBody("SEND", "m" + number + ":" + BODY, "destination:" + destination,
                "receipt:r" + number);
    }

    /**
     * The receipt ids that arrive, in order, until none has come for a second. The client keeps
     * its heart-beat promise meanwhile: until the broker stops reading, it checks them.
     */
    private static List<String> receiptsUntilSilence(RawStompClient producer) throws IOException {
        List<String> receipts = new ArrayList<>();
        int quietRounds = 0;
        while (quietRounds < 4) {
            try {
                RawFrame frame = producer.readFrame(Duration.ofMillis(250));
                assertThat(frame.header("receipt-id")).as("receipt after %s", receipts).isEqualTo("r" + receipts.size());
                receipts.add(frame.header("receipt-id"));
                quietRounds = 0;
            } catch (SocketTimeoutException silence) {
                producer.write("\n");
                quietRounds++;
            }
        }
        return receipts;
    }

    /** Consumes {@code count} messages (auto-acknowledged) from a new connection and checks their order. */
    private void receiveInOrder(String destination, int count) throws IOException {
        try (RawStompClient consumer = RawStompClient.connected(broker.stompPort(), "1.2")) {
            consumer.write(RawStompClient.frame("SUBSCRIBE", "id:1", "destination:" + destination));
            for (int i = 0; i < count; i++) {
                RawFrame message = consumer.readFrame();
                assertThat(message.command()).isEqualTo("MESSAGE");
                assertThat(message.bodyText()).startsWith("m" + i + ":");
            }
        }
    }
}
