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
                      BrokerProbe broker) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder acknowledged = new LongAdder();
        List<Producer> running = new ArrayList<>();
        try {
            for (int i = 0; i < producers; i++) {
                running.add(new Producer(StompClient.connect(port), destination, stop, acknowledged, i));
            }
            running.forEach(Thread::start);
            Thread.sleep(warmUp.toMillis());
            long messages = acknowledged.sum();
            long forces = broker.journalForces().getAsLong();
            long records = broker.journalRecords().getAsLong();
            long cpuNanos = broker.cpuNanos().getAsLong();
            MachineCpu machine = MachineCpu.sample();
            long start = System.nanoTime();
            Thread.sleep(window.toMillis());
            messages = acknowledged.sum() - messages;
            forces = broker.journalForces().getAsLong() - forces;
            records = broker.journalRecords().getAsLong() - records;
            cpuNanos = broker.cpuNanos().getAsLong() - cpuNanos;
            double seconds = (System.nanoTime() - start) / 1e9;
            MachineCpu machineAfter = MachineCpu.sample();
            double machineBusy = machineAfter == null ? Double.NaN : machineAfter.busySince(machine);
            stop.set(true);
            for (Producer producer : running) {
                producer.join();
                if (producer.failure != null) {
                    throw new IOException("producer " + producer.getName() + " failed", producer.failure);
                }
            }
            return new Result(producers, messages, seconds, forces, records, cpuNanos, machineBusy,
                    acknowledged.sum());
        } finally {
            stop.set(true);
            for (Producer producer : running) {
                producer.client.close();
            }
        }
    }

    /** One synchronous producer: send, wait for its receipt, repeat until told to stop. */
    private static final class Producer extends Thread {
        private final StompClient client;
        private final String destination;
        private final AtomicBoolean stop;
        private final LongAdder acknowledged;
        private volatile IOException failure;

        Producer(StompClient client, String destination, AtomicBoolean stop, LongAdder acknowledged, int number) {
            super(BrokerProbe.LOAD_GENERATOR_THREADS + "producer-" + number);
            this.client = client;
            this.destination = destination;
            this.stop = stop;
            this.acknowledged = acknowledged;
        }

        @Override
        public void run() {
            try {
                for (long sequence = 1; !stop.get(); sequence++) {
                    String receipt = Long.toString(sequence);
                    client.send(destination, BODY, receipt);
                    client.flush();
                    String received = client.expect("RECEIPT").header("receipt-id");
                    if (!receipt.equals(received)) {
                        throw new IOException("expected receipt " + receipt + ", got " + received);
                    }
                    acknowledged.increment();
                }
            } catch (IOException e) {
                if (!stop.get()) {
                    failure = e;
                }
            }
        }
    }
}
