package io.junction.core.broker;

import io.junction.core.model.Message;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Messages waiting for a consumer: one FIFO per priority, iterated from priority 9 down to 0.
 * Confined to the owning queue's executor.
 */
final class PendingMessages implements Iterable<MessageRef> {

    private static final int PRIORITIES = 10;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<MessageRef>[] byPriority = new ArrayDeque[PRIORITIES];
    private int size;
    private int withExpiry;

    PendingMessages() {
        for (int i = 0; i < PRIORITIES; i++) {
            byPriority[i] = new ArrayDeque<>();
        }
    }

    /** Appends a new message behind the others of its priority. */
    void addLast(MessageRef ref) {
        byPriority[ref.message.priority()].addLast(ref);
        added(ref);
    }

    /** Puts a returned message back in front of the others of its priority. */
    void addFirst(MessageRef ref) {
        byPriority[ref.message.priority()].addFirst(ref);
        added(ref);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** True when some waiting message carries an expiration, so a sweep can find something. */
    boolean hasExpiring() {
        return withExpiry > 0;
    }

    void clear() {
        for (ArrayDeque<MessageRef> deque : byPriority) {
            deque.clear();
        }
        size = 0;
        withExpiry = 0;
    }

    private void added(MessageRef ref) {
        size++;
        if (ref.message.expiration() > 0) {
            withExpiry++;
        }
    }

    private void removed(Message message) {
        size--;
        if (message.expiration() > 0) {
            withExpiry--;
        }
    }

    /** Highest priority first, FIFO within a priority; {@code remove()} is supported. */
    @Override
    public Iterator<MessageRef> iterator() {
        return new Iterator<>() {
            private int priority = PRIORITIES - 1;
            private Iterator<MessageRef> current = byPriority[priority].iterator();
            private MessageRef last;

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (priority == 0) {
                        return false;
                    }
                    priority--;
                    current = byPriority[priority].iterator();
                }
                return true;
            }

            @Override
            public MessageRef next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                last = current.next();
                return last;
            }

            @Override
            public void remove() {
                current.remove();
                removed(last.message);
            }
        };
    }
}
