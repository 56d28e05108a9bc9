package io.junction.core.store;

import io.junction.core.broker.Broker;
import io.junction.core.broker.Limits;
import io.junction.core.config.DestinationsConfig;
import io.junction.core.config.DiskFullPolicy;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.Delivery;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.store.journal.CorruptJournalException;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link Broker} over a {@link MessageStore} on the given files, for the disk-full tests. */
final class DiskFullBroker implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final MessageStore store;
    private final Broker broker;
    private final BrokerConnection connection;

    private DiskFullBroker(MessageStore store, Path paging) throws BrokerException {
        this.store = store;
        this.broker = new Broker(DestinationsConfig.DEFAULTS, new Limits(64L * 1024 * 1024, 0, DiskFullPolicy.BLOCK,
                paging), 2, store);
        broker.start();
        this.connection = broker.openConnection("test", null, null);
    }

    static DiskFullBroker start(Path journal, JournalOptions options, JournalFiles files)
            throws IOException, CorruptJournalException, BrokerException {
        return new DiskFullBroker(MessageStore.open(journal, options, files, 50), journal.resolveSibling("paging"));
    }

    /** Sends a text message to a queue; returns null once the broker took it, or why it refused. */
    Throwable send(String queue, String body, boolean persistent) throws InterruptedException, TimeoutException {
        Message message = Message.builder(Destination.queue(queue)).persistent(persistent).textBody(body).build();
        try {
            connection.send(message).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException refused) {
            return refused.getCause();
        }
    }

    /** Messages waiting in the queue, as its counters say. */
    int depth(String queue) {
        Broker.QueueInfo info = broker.queue(queue);
        return info == null ? 0 : info.depth();
    }

    /**
     * Consumes the queue, acknowledging each delivery, until nothing arrives for {@code quiet};
     * returns the deliveries in order.
     */
    List<Delivery> drain(String queue, Duration quiet) throws BrokerException, InterruptedException {
        BlockingQueue<Delivery> arrived = new LinkedBlockingQueue<>();
        Consumer consumer = connection.subscribe(new SubscriptionSpec(Destination.queue(queue), null, 100, false, null),
                new ConsumerCallback() {
                    @Override
                    public void deliver(Delivery delivery) {
                        arrived.add(delivery);
                    }

                    @Override
                    public void closedByBroker(String reason) {
                    }
                });
        List<Delivery> deliveries = new ArrayList<>();
        for (Delivery d; (d = arrived.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
            deliveries.add(d);
            consumer.ack(d.id());
        }
        consumer.close();
        return deliveries;
    }

    /** Stops the broker gracefully and closes its store. */
    @Override
    public void close() {
        connection.close("test finished");
        broker.stop();
        store.close();
    }
}
