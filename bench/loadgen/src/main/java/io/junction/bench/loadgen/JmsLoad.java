package io.junction.bench.loadgen;

import io.junction.bench.Progress;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The JMS scenarios, one implementation on the jakarta.jms API whatever the protocol: producers
 * and consumers, each on its own connection, on one queue (consumers share the messages) or one
 * topic (each consumer gets every message). Consumers connect first and listen (auto-acknowledge);
 * then each producer, on its own thread, sends its share of {@code messages} until it is sent or
 * {@code limit} has passed: synchronously, asynchronously, or in transacted batches committed every
 * {@code batch} messages. A message counts as sent once {@code send} returned (transacted: once its
 * batch committed). Each body starts with the sender's nanoTime, for the end-to-end latency.
 */
final class JmsLoad implements Scenario {

    enum SendMode { SYNC, ASYNC, TRANSACTED }

    private final String name;
    private final JmsProtocol protocol;
    private final boolean topic;
    private final boolean persistent;
    private final int producers;
    private final int consumers;
    private final SendMode mode;
    private final int batch;
    private final long messages;
    private final Duration limit;
    private final int window;
    private final int payloadBytes;

    JmsLoad(String name, JmsProtocol protocol, boolean topic, boolean persistent, int producers, int consumers,
            SendMode mode, int batch, long messages, Duration limit, int window, int payloadBytes) {
        this.name = name;
        this.protocol = protocol;
        this.topic = topic;
        this.persistent = persistent;
        this.producers = producers;
        this.consumers = consumers;
        this.mode = mode;
        this.batch = batch;
        this.messages = messages;
        this.limit = limit;
        this.window = window;
        this.payloadBytes = payloadBytes;
    }

    @Override
    public ResultLine run(Target target, Progress progress) throws Exception {
        ConnectionFactory factory = protocol.factory(target, mode == SendMode.ASYNC, window * payloadBytes);
        String destinationName = "loadgen." + name + "." + ClientIds.fresh().run();
        Sends sends = new Sends();
        List<Connection> connections = new ArrayList<>();
        ExecutorService producerThreads = Executors.newFixedThreadPool(producers);
        try {
            List<Received> receivers = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                Connection connection = connect(factory, connections, sends);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(destination(session, destinationName));
                Received received = new Received(topic ? messages : messages / consumers + 1);
                consumer.setMessageListener(message -> {
                    long sentNanos = -1;
                    try {
                        if (message instanceof BytesMessage bytes && bytes.getBodyLength() >= Long.BYTES) {
                            sentNanos = bytes.readLong();
                        }
                    } catch (JMSException e) {
                        sentNanos = -1; // counted without a latency
                    }
                    received.received(sentNanos);
                });
                connection.start();
                receivers.add(received);
            }
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                sessions.add(connect(factory, connections, sends)
                        .createSession(mode == SendMode.TRANSACTED, Session.AUTO_ACKNOWLEDGE));
            }
            progress.log("%s over %s: %d consumers and %d producers connected, %s %s; sending %,d messages (at most %d s)",
                    target.name(), protocol.label(), consumers, producers, topic ? "topic" : "queue", destinationName,
                    messages, limit.toSeconds());

            Window measured = Window.open(target.process());
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            List<Future<?>> finished = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                Session session = sessions.get(i);
                long share = Sends.share(messages, producers, i);
                finished.add(producerThreads.submit(() -> {
                    produce(session, destinationName, share, deadline, sends);
                    return null;
                }));
            }
            for (Future<?> producer : finished) {
                producer.get(limit.toSeconds() + 30, TimeUnit.SECONDS);
            }
            long producersDone = System.nanoTime();
            if (sends.firstFailure.get() != null) {
                progress.log("%s: %,d sends failed, the first: %s", target.name(), sends.failed.get(),
                        sends.firstFailure.get());
            }
            progress.log("%s: %,d sent in %.1f s; waiting for the deliveries", target.name(), sends.sent.get(),
                    (producersDone - start) / 1e9);
            long expected = sends.sent.get() * (topic ? consumers : 1);
            Received.await(receivers, expected, producersDone + limit.toNanos());
            measured.close();
            return QueueResult.of(name, target, sends, receivers, expected, start, producersDone, measured)
                    .put("protocol", protocol.label())
                    .put("destination", topic ? "topic" : "queue")
                    .put("persistent", persistent)
                    .put("send", mode.name().toLowerCase(java.util.Locale.ROOT))
                    .put("batch", mode == SendMode.TRANSACTED ? batch : null)
                    .put("producers", producers)
                    .put("consumers", consumers)
                    .put("payloadBytes", payloadBytes)
                    .put("window", mode == SendMode.ASYNC ? window : null)
                    .put("stoppedBy", sends.sent.get() + sends.failed.get() < messages ? "time" : "messages");
        } finally {
            producerThreads.shutdownNow();
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    progress.log("%s: closing a connection failed: %s", target.name(), e);
                }
            }
        }
    }

    private static Connection connect(ConnectionFactory factory, List<Connection> connections, Sends sends)
            throws JMSException {
        Connection connection = factory.createConnection();
        connections.add(connection);
        // Async sends report their failures here, not to the sender.
        connection.setExceptionListener(e -> sends.failed(0, e));
        return connection;
    }

    private Destination destination(Session session, String destinationName) throws JMSException {
        return topic ? session.createTopic(destinationName) : session.createQueue(destinationName);
    }

    /** One producer's share, on the calling thread; a failed send or commit ends this producer. */
    private void produce(Session session, String destinationName, long share, long deadline, Sends sends) {
        long inBatch = 0;
        long done = 0;
        boolean committing = false;
        try {
            MessageProducer producer = session.createProducer(destination(session, destinationName));
            producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            byte[] padding = new byte[Math.max(0, payloadBytes - Long.BYTES)];
            for (; done < share && System.nanoTime() - deadline < 0; done++) {
                BytesMessage message = session.createBytesMessage();
                message.writeLong(System.nanoTime());
                message.writeBytes(padding);
                producer.send(message);
                if (mode != SendMode.TRANSACTED) {
                    sends.sent.incrementAndGet();
                } else if (++inBatch == batch) {
                    committing = true;
                    session.commit();
                    committing = false;
                    sends.sent.addAndGet(inBatch);
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                committing = true;
                session.commit();
                sends.sent.addAndGet(inBatch);
            }
        } catch (JMSException | RuntimeException e) {
            // Transacted: the batch's messages are lost with it, and the one whose send failed.
            sends.failed(mode != SendMode.TRANSACTED ? 1 : committing ? inBatch : inBatch + 1, e);
        }
    }
}
