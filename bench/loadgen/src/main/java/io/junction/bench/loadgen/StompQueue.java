package io.junction.bench.loadgen;

import io.junction.bench.Progress;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.util.MimeTypeUtils;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * STOMP queue send and receive through Spring's STOMP client ({@link StompClients}), over any
 * {@link Transport}: one consumer subscribes ({@code ack:auto}, the SUBSCRIBE receipted before
 * anything is sent), then one producer sends persistent messages to the queue, each with a
 * receipt, at most {@code window} without their RECEIPT; a message counts as sent on its RECEIPT
 * (one the library reports lost after {@link StompClients#RECEIPT_TIME_LIMIT_MILLIS} counts as
 * failed). Each body starts with the sender's nanoTime, for the end-to-end latency.
 */
final class StompQueue implements Scenario {

    /** How often a producer waiting for a window slot looks whether a connection failed. */
    private static final long POLL_MILLIS = 100;

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
        String queue = "/queue/loadgen." + name + "." + ClientIds.fresh().run();
        Sends sends = new Sends();
        Received received = new Received(messages);
        StompSessionWatch consumerWatch = new StompSessionWatch("consumer");
        StompSessionWatch producerWatch = new StompSessionWatch("producer");
        try (StompClients clients = new StompClients(target)) {
            StompSession consumer = clients.connect(consumerWatch);
            subscribe(consumer, queue, received);
            StompSession producer = clients.connect(producerWatch);
            producer.setAutoReceipt(true);
            progress.log("%s over %s: consumer and producer connected, queue %s; sending %,d messages (at most %d s)",
                    target.name(), target.transport().label(), queue, messages, limit.toSeconds());

            Window measured = Window.open(target.process());
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            Semaphore unreceipted = new Semaphore(window);
            long written = 0;
            for (; written < messages && System.nanoTime() - deadline < 0; written++) {
                while (!unreceipted.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    producerWatch.check();
                    consumerWatch.check();
                }
                StompSession.Receiptable receipt = producer.send(sendHeaders(queue),
                        Payload.stamped(payloadBytes).array());
                receipt.addReceiptTask(() -> {
                    sends.sent.incrementAndGet();
                    unreceipted.release();
                });
                receipt.addReceiptLostTask(() -> {
                    sends.failed(1, new TimeoutException("no RECEIPT within " + StompClients.RECEIPT_TIME_LIMIT_MILLIS
                            + " ms"));
                    unreceipted.release();
                });
            }
            // Every SEND ends with its RECEIPT or, after the library's time limit, as lost.
            while (!unreceipted.tryAcquire(window, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                producerWatch.check();
                consumerWatch.check();
            }
            long producerDone = System.nanoTime();
            if (sends.firstFailure.get() != null) {
                progress.log("%s: %,d sends failed, the first: %s", target.name(), sends.failed.get(),
                        sends.firstFailure.get());
            }
            progress.log("%s: %,d sent in %.1f s; waiting for the deliveries", target.name(), sends.sent.get(),
                    (producerDone - start) / 1e9);
            List<Received> consumers = List.of(received);
            long expected = sends.sent.get();
            Received.await(consumers, expected, producerDone + limit.toNanos());
            measured.close();
            consumerWatch.check();
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

    /** Subscribes with {@code ack:auto} and waits for the SUBSCRIBE's receipt, so that the consumer is in place first. */
    private static void subscribe(StompSession consumer, String queue, Received received) throws Exception {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(queue);
        headers.setAck("auto");
        headers.setReceipt("subscribed");
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        StompSession.Subscription subscription = consumer.subscribe(headers, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders messageHeaders) {
                return byte[].class;
            }

            @Override
            public void handleFrame(StompHeaders messageHeaders, Object payload) {
                received.received(payload instanceof byte[] body ? Payload.sentNanos(ByteBuffer.wrap(body)) : -1);
            }
        });
        subscription.addReceiptTask(() -> subscribed.complete(null));
        subscription.addReceiptLostTask(() -> subscribed.completeExceptionally(
                new TimeoutException("no RECEIPT for the SUBSCRIBE to " + queue)));
        subscribed.get(StompClients.RECEIPT_TIME_LIMIT_MILLIS + 1000, TimeUnit.MILLISECONDS);
    }

    /** A persistent SEND of raw bytes (no conversion on either side); the session adds the receipt. */
    private static StompHeaders sendHeaders(String queue) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(queue);
        headers.set("persistent", "true");
        headers.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
        return headers;
    }
}
