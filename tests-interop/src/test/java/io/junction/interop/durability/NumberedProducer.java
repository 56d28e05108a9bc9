package io.junction.interop.durability;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends persistent messages with numbered bodies, each asking for a RECEIPT, keeping up to
 * {@link #WINDOW} unanswered so that the broker group-commits several at once, until the connection
 * dies (the broker was killed). Records every number it wrote and every RECEIPT it got.
 */
final class NumberedProducer implements Runnable {

    private static final int WINDOW = 32;

    private final int port;
    private final String destination;
    private final AtomicInteger numbers;
    private final CrashLedger ledger;
    private final CountDownLatch connected;

    /**
     * @param numbers   the last number used; shared across rounds so that every number is sent once
     * @param connected counted down once the producer is connected
     */
    NumberedProducer(int port, String destination, AtomicInteger numbers, CrashLedger ledger,
                     CountDownLatch connected) {
        this.port = port;
        this.destination = destination;
        this.numbers = numbers;
        this.ledger = ledger;
        this.connected = connected;
    }

    @Override
    public void run() {
        RawStompClient client;
        try {
            client = RawStompClient.connected(port, StompSteps.VERSION);
        } catch (IOException | AssertionError e) {
            ledger.surprise("producer could not connect: " + e);
            return;
        }
        connected.countDown();
        try (client) {
            int unanswered = 0;
            while (true) {
                for (; unanswered < WINDOW; unanswered++) {
                    int number = numbers.incrementAndGet();
                    ledger.sent(number);
                    client.write(StompSteps.sendFrame(destination, Integer.toString(number), true,
                            Integer.toString(number)));
                }
                RawFrame frame = client.readFrame();
                if (!frame.command().equals("RECEIPT")) {
                    ledger.surprise("producer got " + frame);
                    return;
                }
                ledger.receipted(Integer.parseInt(frame.header("receipt-id")));
                unanswered--;
            }
        } catch (SocketTimeoutException stalled) {
            ledger.surprise("producer: the broker answered no send within " + RawStompClient.TIMEOUT);
        } catch (IOException connectionLost) {
            // The broker was killed: the end of this round for the producer.
        }
    }
}
