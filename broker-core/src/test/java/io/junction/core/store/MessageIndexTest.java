package io.junction.core.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIndexTest {

    /** The model entry: location, record size and queues. */
    private record Entry(long location, int size, long[] queues) {
    }

    private final MessageIndex index = new MessageIndex();

    @Test
    void putThenLookUp() {
        index.put(7, 0x1_0000_0040L, 120, new long[] {3});

        assertThat(index.contains(7)).isTrue();
        assertThat(index.location(7)).isEqualTo(0x1_0000_0040L);
        assertThat(index.recordSize(7)).isEqualTo(120);
        assertThat(index.queues(7)).containsExactly(3);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void absentMessage() {
        assertThat(index.contains(8)).isFalse();
        assertThat(index.location(8)).isEqualTo(-1);
        assertThat(index.recordSize(8)).isZero();
        assertThat(index.queues(8)).isEmpty();
        assertThat(index.removeQueue(8, 1)).isFalse();
    }

    @Test
    void removingTheOnlyQueueRemovesTheMessage() {
        index.put(7, 100, 50, new long[] {3});

        assertThat(index.removeQueue(7, 4)).as("a queue that does not hold it").isFalse();
        assertThat(index.contains(7)).isTrue();
        assertThat(index.removeQueue(7, 3)).isTrue();
        assertThat(index.contains(7)).isFalse();
        assertThat(index.size()).isZero();
    }

    @Test
    void severalQueuesAreRemovedOneByOne() {
        index.put(7, 100, 50, new long[] {1, 2, 3});

        assertThat(index.removeQueue(7, 2)).isFalse();
        assertThat(index.queues(7)).containsExactly(1, 3);
        assertThat(index.removeQueue(7, 2)).as("already removed").isFalse();
        assertThat(index.removeQueue(7, 1)).isFalse();
        assertThat(index.queues(7)).containsExactly(3);
        assertThat(index.removeQueue(7, 3)).isTrue();
        assertThat(index.contains(7)).isFalse();
    }

    @Test
    void queuesReturnsACopy() {
        index.put(7, 100, 50, new long[] {1, 2});

        index.queues(7)[0] = 99;

        assertThat(index.queues(7)).containsExactly(1, 2);
    }

    @Test
    void putReplacesLocationAndQueues() {
        index.put(7, 100, 50, new long[] {1, 2});
        index.put(7, 200, 60, new long[] {2});

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.location(7)).isEqualTo(200);
        assertThat(index.recordSize(7)).isEqualTo(60);
        assertThat(index.queues(7)).containsExactly(2);
    }

    @Test
    void relocateKeepsQueues() {
        index.put(7, 100, 50, new long[] {1, 2});

        index.relocate(7, 900, 70);
        index.relocate(8, 900, 70);

        assertThat(index.location(7)).isEqualTo(900);
        assertThat(index.recordSize(7)).isEqualTo(70);
        assertThat(index.queues(7)).containsExactly(1, 2);
        assertThat(index.contains(8)).isFalse();
    }

    @Test
    void removeAllForgetsEveryQueue() {
        index.put(7, 100, 50, new long[] {1, 2, 3});
        index.put(8, 200, 50, new long[] {1});

        index.removeAll(7);
        index.removeAll(9);

        assertThat(index.contains(7)).isFalse();
        assertThat(index.queues(7)).isEmpty();
        assertThat(index.queues(8)).containsExactly(1);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void growsPastManyResizes() {
        int count = 200_000;
        for (long id = 1; id <= count; id++) {
            index.put(id, id << 8, (int) (id % 1000), id % 10 == 0 ? new long[] {1, 2} : new long[] {id % 7 + 1});
        }

        assertThat(index.size()).isEqualTo(count);
        assertThat(ids(count).filter(id -> index.location(id) != id << 8 || index.recordSize(id) != id % 1000).toList())
                .as("messages misplaced").isEmpty();
        assertThat(index.queues(20)).containsExactly(1, 2);
        assertThat(index.queues(21)).containsExactly(21 % 7 + 1);

        for (long id = 1; id <= count; id += 2) {
            index.removeAll(id);
        }
        assertThat(index.size()).isEqualTo(count / 2);
        assertThat(ids(count).filter(id -> index.contains(id) != (id % 2 == 0)).toList()).as("wrongly present or absent").isEmpty();
        Set<Long> seen = new HashSet<>();
        index.forEach(seen::add);
        assertThat(seen).hasSize(count / 2).allMatch(id -> id % 2 == 0);
    }

    private static Stream<Long> ids(int count) {
        return LongStream.rangeClosed(1, count).boxed();
    }

    /**
     * Keys whose home slot is among the last of the initial 1024-slot table form a probe run that
     * wraps to slot 0; deleting from it in every order must keep the rest reachable (backward shift
     * across the wrap). The home function is copied from the index to choose such keys.
     */
    @Test
    void deletionInAProbeRunThatWrapsAround() {
        List<Long> keys = new ArrayList<>();
        for (long key = 1; keys.size() < 6; key++) {
            if (home(key, 1023) >= 1021) {
                keys.add(key);
            }
        }
        List<Long> filler = new ArrayList<>();
        for (long key = 1_000_000; filler.size() < 4; key++) {
            if (home(key, 1023) <= 1) {
                filler.add(key);
            }
        }
        for (int victim = 0; victim < keys.size(); victim++) {
            MessageIndex wrapped = new MessageIndex();
            List<Long> all = new ArrayList<>(keys);
            all.addAll(filler);
            for (long key : all) {
                wrapped.put(key, key, 1, new long[] {1});
            }
            long removed = keys.get(victim);
            wrapped.removeAll(removed);
            for (long key : all) {
                assertThat(wrapped.contains(key)).as("key %d after removing %d", key, removed).isEqualTo(key != removed);
                if (key != removed) {
                    assertThat(wrapped.location(key)).isEqualTo(key);
                }
            }
            // Remove the rest one by one, checking each time.
            for (long key : all) {
                if (key != removed) {
                    wrapped.removeAll(key);
                    assertThat(wrapped.contains(key)).isFalse();
                }
            }
            assertThat(wrapped.size()).isZero();
        }
    }

    private static int home(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Random puts and removals at high load without growth, checked against a HashMap after every step. */
    @Test
    void randomOperationsMatchAModel() {
        Random random = new Random(20240611);
        Map<Long, Entry> model = new HashMap<>();
        long[] keySpace = new long[1400];
        for (int i = 0; i < keySpace.length; i++) {
            keySpace[i] = 1 + random.nextInt(1 << 30);
        }
        for (int step = 0; step < 60_000; step++) {
            long key = keySpace[random.nextInt(keySpace.length)];
            int op = random.nextInt(10);
            if (op < 4 && model.size() < 760) {
                long[] queues = random.nextInt(3) == 0 ? new long[] {1, 2, 3} : new long[] {1 + random.nextInt(3)};
                Entry e = new Entry(random.nextLong() & Long.MAX_VALUE, random.nextInt(5000), queues);
                index.put(key, e.location(), e.size(), e.queues());
                model.put(key, e);
            } else if (op < 7) {
                long queue = 1 + random.nextInt(3);
                Entry e = model.get(key);
                boolean expectRemoved = e != null && e.queues().length == 1 && e.queues()[0] == queue;
                assertThat(index.removeQueue(key, queue)).isEqualTo(expectRemoved);
                if (expectRemoved) {
                    model.remove(key);
                } else if (e != null) {
                    long[] left = Arrays.stream(e.queues()).filter(q -> q != queue).toArray();
                    model.put(key, new Entry(e.location(), e.size(), left));
                }
            } else {
                index.removeAll(key);
                model.remove(key);
            }
            if (step % 1000 == 0) {
                assertMatches(model, keySpace);
            } else {
                assertEntry(model, key);
            }
        }
        assertMatches(model, keySpace);
    }

    private void assertMatches(Map<Long, Entry> model, long[] keySpace) {
        assertThat(index.size()).isEqualTo(model.size());
        for (long key : keySpace) {
            assertEntry(model, key);
        }
        Set<Long> seen = new HashSet<>();
        index.forEach(seen::add);
        assertThat(seen).isEqualTo(model.keySet());
    }

    private void assertEntry(Map<Long, Entry> model, long key) {
        Entry e = model.get(key);
        assertThat(index.contains(key)).as("contains %d", key).isEqualTo(e != null);
        if (e != null) {
            assertThat(index.location(key)).isEqualTo(e.location());
            assertThat(index.recordSize(key)).isEqualTo(e.size());
            assertThat(index.queues(key)).containsExactly(e.queues());
        }
    }
}
