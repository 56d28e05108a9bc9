package io.junction.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Case 2: persistent 1 KB sends by N synchronous producers. Each producer is its own STOMP
 * connection and thread, and waits for the RECEIPT of a send (given once the message is on disk)
 * before it sends the next. The count of receipts over a fixed window, after a warm-up, gives
 * messages per second; the broker's journal counters over the same window, when it exposes them,
 * give messages per fsync (the group-commit ratio), and its CPU time the cost of a message.
 */
final class SendLoad {

    static final byte[] BODY = "0123456789abcdef".repeat(64).getBytes(StandardCharsets.US_ASCII);

    /**
     * What one run measured. Over the window: the journal's forces and records (0 when not
     * observed), the broker's CPU time, and the share of the machine's cores that were busy
     * (every process, the load generator's and other users' included). {@code sent} counts every
     * message the run left in the destination, warm-up included.
     */
    record Result(int producers, long messages, double seconds, long forces, long records, long brokerCpuNanos,
                  double machineBusy, long sent) {
        double rate() {
            return messages / seconds;
        }

        /** Broker CPU time per acknowledged message, in microseconds. */
        double brokerCpuMicrosPerMessage() {
            return messages > 0 ? brokerCpuNanos / 1000.0 / messages : Double.NaN;
        }

        /** Journal records per force, NaN when the journal was not observed. */
        double perFsync() {
            return forces > 0 ? (double) records / forces : Double.NaN;
        }
    }

    private SendLoad() {
    }

    static Result run(int port, String destination, int producers, Duration warmUp, Duration window,
                      BrokerProbe broker) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder acknowledged = new LongAdder();
        List<StompClient> clients = new ArrayList<>();
        List<LoadThread> running = new ArrayList<>();
        try {
            for (int i = 0; i < producers; i++) {
                StompClient client = StompClient.connect(port);
                clients.add(client);
                running.add(new LoadThread("producer-" + i, stop, sendAndAwaitReceipt(client, destination,
                        acknowledged)));
            }
            running.forEach(Thread::start);
            Thread.sleep(warmUp.toMillis());
            long messages = acknowledged.sum();
            BrokerProbe.Reading start = broker.read();
            Thread.sleep(window.toMillis());
            messages = acknowledged.sum() - messages;
            BrokerProbe.Window measured = broker.read().since(start);
            stop.set(true);
            for (LoadThread producer : running) {
                producer.join();
                producer.check();
            }
            return new Result(producers, messages, measured.seconds(), measured.journalForces(),
                    measured.journalRecords(), measured.cpuNanos(), measured.machineBusy(), acknowledged.sum());
        } finally {
            stop.set(true);
            for (StompClient client : clients) {
                client.close();
            }
        }
    }

    /** One synchronous producer's step: send, and wait for its receipt. */
    private static LoadThread.Step sendAndAwaitReceipt(StompClient client, String destination,
                                                       LongAdder acknowledged) {
        long[] sequence = {0};
        return () -> {
            String receipt = Long.toString(++sequence[0]);
            client.send(destination, BODY, receipt);
            client.flush();
            String received = client.expect("RECEIPT").header("receipt-id");
            if (!receipt.equals(received)) {
                throw new IOException("expected receipt " + receipt + ", got " + received);
            }
            acknowledged.increment();
        };
    }
}
