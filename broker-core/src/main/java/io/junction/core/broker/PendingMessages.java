package io.junction.core.broker;

import io.junction.core.model.Message;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Messages waiting for a consumer: per priority, ordered by their arrival in the queue, iterated
 * from priority 9 down to 0. A message given back (nack, rollback, consumer closed) retakes its
 * original place, however many were given back and in whatever order. Confined to the owning
 * queue's executor.
 *
 * <p>Each priority is an array deque: new messages append at the end in O(1) with no allocation;
 * a returned message is inserted from the front, which is cheap because it comes back to near
 * the front (it was dispatched from there).
 */
final class PendingMessages implements Iterable<MessageRef> {

    private static final int PRIORITIES = 10;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<MessageRef>[] byPriority = new ArrayDeque[PRIORITIES];
    /** Scratch space for inserting a returned message; reused. */
    private final ArrayDeque<MessageRef> shifted = new ArrayDeque<>();
    private int size;
    private int withExpiry;

    PendingMessages() {
        for (int i = 0; i < PRIORITIES; i++) {
            byPriority[i] = new ArrayDeque<>();
        }
    }

    /** Adds a new or returned message at its place by arrival among the others of its priority. */
    void add(MessageRef ref) {
        ArrayDeque<MessageRef> messages = byPriority[ref.message.priority()];
        if (messages.isEmpty() || messages.peekLast().sequence < ref.sequence) {
            messages.addLast(ref);
        } else {
            while (!messages.isEmpty() && messages.peekFirst().sequence < ref.sequence) {
                shifted.push(messages.pollFirst());
            }
            messages.addFirst(ref);
            while (!shifted.isEmpty()) {
                messages.addFirst(shifted.pop());
            }
        }
        added(ref);
    }

    /** Removes and returns the message that arrived first, of any priority; null when empty. */
    MessageRef removeOldest() {
        ArrayDeque<MessageRef> from = null;
        for (ArrayDeque<MessageRef> messages : byPriority) {
            if (!messages.isEmpty() && (from == null || messages.peekFirst().sequence < from.peekFirst().sequence)) {
                from = messages;
            }
        }
        if (from == null) {
            return null;
        }
        MessageRef oldest = from.pollFirst();
        removed(oldest.message);
        return oldest;
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
        for (ArrayDeque<MessageRef> messages : byPriority) {
            messages.clear();
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

    /** Highest priority first, in arrival order within a priority; {@code remove()} is supported. */
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
