package io.junction.core.broker;

import io.junction.core.model.Message;
import io.junction.core.schedule.Schedule;
import io.junction.core.schedule.ScheduleState;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Transaction;
import io.junction.core.store.MessageStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection's local transaction. Used from the connection's event loop only; the acks it
 * records take effect through tasks on each queue's executor, which run after the queue has seen
 * the provisional ack because both were submitted to the same serial executor in that order.
 */
final class LocalTransaction implements Transaction {

    private record Ack(QueueConsumer consumer, long deliveryId) {
    }

    /** A scheduled message the transaction sent: stored with the commit, held by the scheduler after it. */
    private record Scheduled(Message message, Schedule schedule, ScheduleState first) {
    }

    private final Broker broker;
    private final ClientConnection connection;
    private final List<Message> sends = new ArrayList<>();
    private final List<Ack> acks = new ArrayList<>();
    private boolean ended;

    LocalTransaction(Broker broker, ClientConnection connection) {
        this.broker = broker;
        this.connection = connection;
    }

    @Override
    public void send(Message message) throws BrokerException {
        checkOpen();
        broker.authorizeSend(connection, message.destination());
        broker.validateSend(message);
        message.assignSender(connection.senderId());
        sends.add(message);
    }

    void addAck(QueueConsumer consumer, long deliveryId) {
        checkOpenUnchecked();
        acks.add(new Ack(consumer, deliveryId));
    }

    /**
     * Writes the sends and acks to the store as one unit, then delivers the sends (scheduled ones go
     * to the scheduler, as in ActiveMQ) and removes the acknowledged messages. If the store write
     * fails, the transaction rolls back instead.
     */
    @Override
    public CompletionStage<Void> commit() {
        checkOpenUnchecked();
        ended = true;
        connection.transactionEnded(this);
        List<RoutePlan> plans = new ArrayList<>(sends.size());
        List<Scheduled> scheduled = new ArrayList<>();
        MessageScheduler scheduler = broker.scheduler();
        try {
            for (Message message : sends) {
                Schedule schedule = Schedule.of(message);
                if (schedule == null) {
                    plans.add(broker.plan(message));
                } else {
                    ScheduleState first = scheduler.firstState(schedule);
                    scheduler.reserve();
                    message.assignBrokerId(broker.nextMessageId());
                    scheduled.add(new Scheduled(message, schedule, first));
                }
            }
        } catch (BrokerException e) {
            scheduled.forEach(s -> scheduler.released());
            giveBackAcks();
            return CompletableFuture.failedFuture(e);
        }
        // Which acks touch stored messages is known on each queue's executor, after the
        // provisional acks submitted there earlier.
        List<CompletableFuture<MessageStore.TransactionalAck>> storedAcks = new ArrayList<>(acks.size());
        for (Ack ack : acks) {
            Queue queue = ack.consumer().queue();
            CompletableFuture<MessageStore.TransactionalAck> resolved = new CompletableFuture<>();
            queue.execute(() -> resolved.complete(queue.storedAck(ack.consumer(), ack.deliveryId())));
            storedAcks.add(resolved);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.allOf(storedAcks.toArray(new CompletableFuture[0]))
                .thenCompose(resolved -> broker.store().commit(storedSends(plans), storedSchedules(scheduled),
                        present(storedAcks)))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        scheduled.forEach(s -> scheduler.released());
                        giveBackAcks();
                        done.completeExceptionally(failure);
                        return;
                    }
                    for (Ack ack : acks) {
                        Queue queue = ack.consumer().queue();
                        queue.execute(() -> queue.acknowledgeCommitted(ack.consumer(), ack.deliveryId()));
                    }
                    scheduled.forEach(s -> scheduler.committed(s.message(), s.schedule(), s.first()));
                    List<CompletableFuture<Void>> taken = new ArrayList<>(plans.size());
                    for (RoutePlan plan : plans) {
                        CompletableFuture<Void> enqueued = new CompletableFuture<>();
                        plan.enqueue(enqueued);
                        taken.add(enqueued);
                    }
                    CompletableFuture.allOf(taken.toArray(new CompletableFuture[0]))
                            .whenComplete((all, error) -> done.complete(null));
                });
        return done;
    }

    private static List<MessageStore.TransactionalSend> storedSends(List<RoutePlan> plans) {
        List<MessageStore.TransactionalSend> stored = new ArrayList<>();
        for (RoutePlan plan : plans) {
            long[] durable = plan.durableQueueIds();
            if (durable.length > 0) {
                stored.add(new MessageStore.TransactionalSend(plan.message(), durable));
            }
        }
        return stored;
    }

    private static List<MessageStore.TransactionalSchedule> storedSchedules(List<Scheduled> scheduled) {
        List<MessageStore.TransactionalSchedule> stored = new ArrayList<>();
        for (Scheduled s : scheduled) {
            if (s.message().persistent()) {
                stored.add(new MessageStore.TransactionalSchedule(s.message(), s.schedule(), s.first()));
            }
        }
        return stored;
    }

    private static List<MessageStore.TransactionalAck> present(List<CompletableFuture<MessageStore.TransactionalAck>> acks) {
        List<MessageStore.TransactionalAck> result = new ArrayList<>();
        for (CompletableFuture<MessageStore.TransactionalAck> ack : acks) {
            MessageStore.TransactionalAck value = ack.join();
            if (value != null) {
                result.add(value);
            }
        }
        return result;
    }

    @Override
    public void rollback() {
        if (ended) {
            return;
        }
        ended = true;
        connection.transactionEnded(this);
        sends.clear();
        giveBackAcks();
    }

    private void giveBackAcks() {
        for (Ack ack : acks) {
            Queue queue = ack.consumer().queue();
            queue.execute(() -> queue.rollbackAck(ack.consumer(), ack.deliveryId()));
        }
    }

    private void checkOpen() throws BrokerException {
        if (ended) {
            throw new BrokerException("transaction already ended");
        }
    }

    private void checkOpenUnchecked() {
        if (ended) {
            throw new IllegalStateException("transaction already ended");
        }
    }
}
