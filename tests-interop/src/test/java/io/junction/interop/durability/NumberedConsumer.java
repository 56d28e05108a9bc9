package io.junction.interop.durability;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Consumes a queue of numbered messages with {@code client-individual} acks, each ACK asking for a
 * RECEIPT, and records every delivery, ACK and confirmed ACK in the ledger. It may keep some
 * deliveries unacknowledged on purpose, so that a crash has them in flight.
 */
final class NumberedConsumer {

    /** How the consumption ended. */
    enum End { QUIET, CONNECTION_LOST, SURPRISE }

    private static final int PREFETCH = 64;

    private final int port;
    private final String destination;
    private final CrashLedger ledger;
    private final int holdBackEvery;
    private final int maxHeldBack;

    /**
     * @param holdBackEvery leave every n-th delivery unacknowledged (0: acknowledge all)
     * @param maxHeldBack   at most this many, so that the prefetch window never fills with them
     */
    NumberedConsumer(int port, String destination, CrashLedger ledger, int holdBackEvery, int maxHeldBack) {
        this.port = port;
        this.destination = destination;
        this.ledger = ledger;
        this.holdBackEvery = holdBackEvery;
        this.maxHeldBack = Math.min(maxHeldBack, PREFETCH / 2);
    }

    /**
     * Consumes until no message arrives for {@code quiet} or the connection dies.
     *
     * @param subscribed counted down once the subscription is in place
     */
    End consume(Duration quiet, CountDownLatch subscribed) {
        int session = ledger.newSession();
        Map<String, CrashLedger.Delivery> awaitingConfirmation = new HashMap<>();
        int received = 0;
        int heldBack = 0;
        RawStompClient client;
        try {
            client = RawStompClient.connected(port, StompSteps.VERSION);
        } catch (IOException | AssertionError e) {
            ledger.surprise("consumer could not connect: " + e);
            return End.SURPRISE;
        }
        try (client) {
            StompSteps.subscribe(client, destination, "activemq.prefetchSize:" + PREFETCH);
            subscribed.countDown();
            while (true) {
                RawFrame frame = client.readFrame(quiet);
                if (frame.command().equals("RECEIPT")) {
                    CrashLedger.Delivery confirmed = awaitingConfirmation.remove(frame.header("receipt-id"));
                    if (confirmed == null) {
                        ledger.surprise("consumer got a RECEIPT it did not ask for: " + frame);
                        return End.SURPRISE;
                    }
                    ledger.ackConfirmed(confirmed);
                    continue;
                }
                if (!frame.command().equals("MESSAGE")) {
                    ledger.surprise("consumer got " + frame);
                    return End.SURPRISE;
                }
                CrashLedger.Delivery delivery = ledger.delivered(Integer.parseInt(frame.bodyText()),
                        "true".equals(frame.header("redelivered")), session);
                received++;
                if (holdBackEvery > 0 && received % holdBackEvery == 0 && heldBack < maxHeldBack) {
                    heldBack++;
                    continue;
                }
                String receipt = "ack-" + received;
                awaitingConfirmation.put(receipt, delivery);
                ledger.ackSent(delivery);
                client.write(RawStompClient.frame("ACK", "id:" + frame.header("ack"), "receipt:" + receipt));
            }
        } catch (SocketTimeoutException quietNow) {
            return End.QUIET;
        } catch (IOException connectionLost) {
            return End.CONNECTION_LOST;
        }
    }
}
