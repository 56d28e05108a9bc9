package io.junction.bench.loadgen;

import io.junction.bench.Progress;
import io.junction.bench.StompClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * STOMP queue send and receive through bench's own STOMP 1.2 client ({@link StompClient}, blocking
 * sockets): one consumer subscribes ({@code ack:auto}), then one producer sends persistent messages
 * to the queue, each with a receipt, at most {@code window} without their RECEIPT; a message counts
 * as sent on its RECEIPT. The client does not keep bodies, so no latency is measured.
 */
final class StompQueue implements Scenario {

    private final String name;
    private final long messages;
    private final Duration limit;
    private final int window;
    private final int payloadBytes;

    StompQueue(String name, long messages, Duration limit, int window, int payloadBytes) {
        this.name = name;
        this.messages = messages;
        this.limit = limit;
        this.window = window;
        this.payloadBytes = payloadBytes;
    }

    @Override
    public ResultLine run(Target target, Progress progress) throws Exception {
        InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
        String queue = "/queue/loadgen." + name + "." + ClientIds.fresh().run();
        Sends sends = new Sends();
        Received received = new Received(1);
        try (StompClient consumer = StompClient.connect(address); StompClient producer = StompClient.connect(address)) {
            consumer.subscribe(queue, "0", "auto");
            reader("consumer", () -> {
                while (true) {
                    StompClient.Frame frame = consumer.read();
                    if (frame.command().equals("MESSAGE")) {
                        received.received(-1);
                    } else if (frame.command().equals("ERROR")) {
                        sends.failed(0, new IOException("ERROR to the consumer: " + frame.headers()));
                    }
                }
            });
            Semaphore unreceipted = new Semaphore(window);
            reader("receipts", () -> {
                while (true) {
                    StompClient.Frame frame = producer.read();
                    if (frame.command().equals("RECEIPT")) {
                        sends.sent.incrementAndGet();
                    } else {
                        sends.failed(1, new IOException(frame.command() + " to the producer: " + frame.headers()));
                    }
                    unreceipted.release();
                }
            });
            progress.log("%s: consumer and producer connected, queue %s; sending %,d messages (at most %d s)",
                    target.name(), queue, messages, limit.toSeconds());

            Window measured = Window.open(target.process());
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            byte[] body = new byte[payloadBytes];
            long written = 0;
            for (; written < messages && System.nanoTime() - deadline < 0; written++) {
                if (!unreceipted.tryAcquire()) {
                    producer.flush();
                    if (!unreceipted.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IOException("no RECEIPT for 30 s");
                    }
                }
                producer.send(queue, body, Long.toString(written));
            }
            producer.flush();
            if (!unreceipted.tryAcquire(window, 30, TimeUnit.SECONDS)) {
                throw new IOException("the last RECEIPTs did not come within 30 s");
            }
            long producerDone = System.nanoTime();
            progress.log("%s: %,d sent in %.1f s; waiting for the deliveries", target.name(), sends.sent.get(),
                    (producerDone - start) / 1e9);
            List<Received> consumers = List.of(received);
            long expected = sends.sent.get();
            Received.await(consumers, expected, producerDone + limit.toNanos());
            measured.close();
            return QueueResult.of(name, target, sends, consumers, expected, start, producerDone, measured)
                    .put("protocol", "stomp")
                    .put("destination", "queue")
                    .put("persistent", true)
                    .put("ack", "auto")
                    .put("producers", 1)
                    .put("consumers", 1)
                    .put("payloadBytes", payloadBytes)
                    .put("window", window)
                    .put("stoppedBy", written < messages ? "time" : "messages");
        }
    }

    interface FrameLoop {
        void run() throws IOException;
    }

    /** A daemon thread reading one connection's frames until it is closed (which ends it with an IOException). */
    private static void reader(String role, FrameLoop loop) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (IOException closed) {
                // The run closed the connection: the end of this reader.
            }
        }, "stomp-" + role);
        thread.setDaemon(true);
        thread.start();
    }
}
