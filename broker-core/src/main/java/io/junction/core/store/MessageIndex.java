package io.junction.core.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Where each stored message's record is and which durable queues still hold it, in flat arrays
 * (linear probing, backward-shift deletion) so that millions of stored messages cost about 28
 * bytes each and no objects. A message held by several queues keeps its queue list in a side map.
 * Confined to the journal's writer thread.
 */
final class MessageIndex {

    private static final long EMPTY = 0;
    private static final long SEVERAL = -1;

    private long[] keys;
    private long[] locations;
    /** The one queue holding the message, or {@link #SEVERAL} with the list in {@link #multiple}. */
    private long[] queues;
    /** Size of the message's record, for the segment's live-byte count. */
    private int[] sizes;
    private final Map<Long, long[]> multiple = new HashMap<>();
    private int size;
    private int mask;

    MessageIndex() {
        allocate(1 << 10);
    }

    int size() {
        return size;
    }

    /** Adds or replaces a message with the queues that hold it (message ids are positive). */
    void put(long messageId, long location, int recordSize, long[] queueIds) {
        if (size + 1 > (mask + 1) * 3L / 4) {
            grow();
        }
        int slot = find(messageId);
        if (keys[slot] == EMPTY) {
            keys[slot] = messageId;
            size++;
        }
        locations[slot] = location;
        sizes[slot] = recordSize;
        setQueues(slot, messageId, queueIds);
    }

    /** The size of the message's record; 0 when it is not stored. */
    int recordSize(long messageId) {
        int slot = find(messageId);
        return keys[slot] == EMPTY ? 0 : sizes[slot];
    }

    boolean contains(long messageId) {
        return keys[find(messageId)] != EMPTY;
    }

    /** The record location, or -1 when the message is not stored. */
    long location(long messageId) {
        int slot = find(messageId);
        return keys[slot] == EMPTY ? -1 : locations[slot];
    }

    void relocate(long messageId, long location, int recordSize) {
        int slot = find(messageId);
        if (keys[slot] != EMPTY) {
            locations[slot] = location;
            sizes[slot] = recordSize;
        }
    }

    /** The queues still holding the message; empty when it is not stored. */
    long[] queues(long messageId) {
        int slot = find(messageId);
        if (keys[slot] == EMPTY) {
            return new long[0];
        }
        return queues[slot] == SEVERAL ? multiple.get(messageId).clone() : new long[] {queues[slot]};
    }

    /**
     * Removes one queue from the message.
     *
     * @return true when that was the last queue, so the message is no longer stored
     */
    boolean removeQueue(long messageId, long queueId) {
        int slot = find(messageId);
        if (keys[slot] == EMPTY) {
            return false;
        }
        if (queues[slot] == SEVERAL) {
            long[] held = multiple.get(messageId);
            long[] left = without(held, queueId);
            if (left.length == held.length) {
                return false;
            }
            if (left.length > 0) {
                setQueues(slot, messageId, left);
                return false;
            }
        } else if (queues[slot] != queueId) {
            return false;
        }
        remove(slot);
        return true;
    }

    /** Forgets the message whatever queues hold it. */
    void removeAll(long messageId) {
        int slot = find(messageId);
        if (keys[slot] != EMPTY) {
            remove(slot);
        }
    }

    /** Calls the consumer with every stored message id, in no particular order. */
    void forEach(LongConsumer consumer) {
        for (long key : keys) {
            if (key != EMPTY) {
                consumer.accept(key);
            }
        }
    }

    private void setQueues(int slot, long messageId, long[] queueIds) {
        if (queueIds.length == 1) {
            queues[slot] = queueIds[0];
            multiple.remove(messageId);
        } else {
            queues[slot] = SEVERAL;
            multiple.put(messageId, queueIds.clone());
        }
    }

    private void remove(int slot) {
        multiple.remove(keys[slot]);
        size--;
        // Backward-shift: move later entries of the probe run into the gap, so lookups never
        // stop early at a hole.
        int gap = slot;
        int next = (gap + 1) & mask;
        while (keys[next] != EMPTY) {
            int home = home(keys[next]);
            boolean movable = gap <= next ? (home <= gap || home > next) : (home <= gap && home > next);
            if (movable) {
                keys[gap] = keys[next];
                locations[gap] = locations[next];
                queues[gap] = queues[next];
                sizes[gap] = sizes[next];
                gap = next;
            }
            next = (next + 1) & mask;
        }
        keys[gap] = EMPTY;
    }

    private int find(long key) {
        int slot = home(key);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private int home(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldLocations = locations;
        long[] oldQueues = queues;
        int[] oldSizes = sizes;
        allocate(keys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                locations[slot] = oldLocations[i];
                queues[slot] = oldQueues[i];
                sizes[slot] = oldSizes[i];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        locations = new long[capacity];
        queues = new long[capacity];
        sizes = new int[capacity];
        mask = capacity - 1;
    }

    private static long[] without(long[] values, long value) {
        int index = -1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return values;
        }
        long[] result = Arrays.copyOf(values, values.length - 1);
        System.arraycopy(values, index + 1, result, index, values.length - index - 1);
        return result;
    }
}
