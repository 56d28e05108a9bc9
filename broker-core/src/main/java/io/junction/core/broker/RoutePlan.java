package io.junction.core.broker;

import io.junction.core.model.Destination;
import io.junction.core.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Where one message goes: each queue or subscription queue, with the destination it reached it by. */
final class RoutePlan {

    private static final long[] NONE = new long[0];

    private final Message message;
    private final List<Queue> queues = new ArrayList<>(2);
    private final List<Destination> addressedTo = new ArrayList<>(2);

    RoutePlan(Message message) {
        this.message = message;
    }

    Message message() {
        return message;
    }

    List<Queue> queues() {
        return queues;
    }

    void add(Queue queue, Destination destination) {
        queues.add(queue);
        addressedTo.add(destination);
    }

    /** The stored queues that must hold the message durably: none unless the message is persistent. */
    long[] durableQueueIds() {
        if (!message.persistent()) {
            return NONE;
        }
        int durable = 0;
        for (Queue queue : queues) {
            if (queue.durable()) {
                durable++;
            }
        }
        long[] ids = new long[durable];
        int i = 0;
        for (Queue queue : queues) {
            if (queue.durable()) {
                ids[i++] = queue.storeId();
            }
        }
        return ids;
    }

    /** Hands the message to its queues; completes {@code accepted} once every queue holds it. */
    void enqueue(CompletableFuture<Void> accepted) {
        int n = queues.size();
        if (n == 0) {
            accepted.complete(null);
            return;
        }
        Runnable taken = n == 1 ? () -> accepted.complete(null) : countDown(n, accepted);
        for (int i = 0; i < n; i++) {
            queues.get(i).enqueue(message, addressedTo.get(i), false, taken);
        }
    }

    private static Runnable countDown(int n, CompletableFuture<Void> accepted) {
        AtomicInteger left = new AtomicInteger(n);
        return () -> {
            if (left.decrementAndGet() == 0) {
                accepted.complete(null);
            }
        };
    }
}
