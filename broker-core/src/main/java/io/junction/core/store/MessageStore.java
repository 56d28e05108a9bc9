package io.junction.core.store;

import io.junction.core.model.Message;
import io.junction.core.store.journal.CorruptJournalException;
import io.junction.core.store.journal.Journal;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;
import io.junction.core.store.journal.JournalTask;
import io.junction.core.store.journal.Locations;
import io.junction.core.util.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable broker state on the {@link Journal}: durable queue and subscription definitions,
 * persistent messages with the queues holding them, acknowledgements, local transactions, and
 * opaque protocol state. Every method returns at once; its future completes on the journal's
 * writer thread once the records are on disk (per the fsync policy), or fails with the IO error.
 *
 * <p>The index of what is live is kept by the writer thread: it is updated from each task's
 * completion, in journal order, and is what compaction consults to carry the few live records of
 * a sparse segment forward so that the segment can be deleted.
 */
public final class MessageStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MessageStore.class);
    private final Journal journal;
    /** Segments with less live data than this many bytes are compacted. */
    private final long compactBelowBytes;
    private final AtomicLong transactionIds = new AtomicLong();
    private final ScheduledExecutorService maintenance =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("junction-store-maintenance"));

    // Owned by the thread that replays, then by the journal's writer thread.
    private final MessageIndex index = new MessageIndex();
    private final SegmentLiveness liveness = new SegmentLiveness();
    private final Map<Long, StoredQueue> queues = new LinkedHashMap<>();
    private final Set<Long> removedQueues = new HashSet<>();
    private final Map<String, long[]> states = new HashMap<>();
    /** Where messages written by tasks not yet done are, so acks in the same batch can name them. */
    private final Map<Long, Long> pendingLocations = new HashMap<>();
    /** Transactions found without their commit at recovery; compaction never carries their records. */
    private final Set<Long> abandonedTransactions = new HashSet<>();
    private final Map<Long, List<Runnable>> replayTransactions = new HashMap<>();
    private long maxMessageId;
    private long maxQueueId;

    private record StoredQueue(QueueDefinition definition, long location, int size) {
    }

    private MessageStore(Journal journal, long compactBelowBytes) {
        this.journal = journal;
        this.compactBelowBytes = compactBelowBytes;
    }

    /**
     * Opens (replaying the journal) and starts background maintenance.
     *
     * @param compactBelowPercent a segment whose live data falls below this share of its size is
     *                            compacted: its live records are carried forward and it is deleted
     */
    public static MessageStore open(Path directory, JournalOptions options, JournalFiles files,
                                    int compactBelowPercent) throws IOException, CorruptJournalException {
        Journal journal = new Journal(directory, options, files);
        MessageStore store = new MessageStore(journal, (long) options.segmentSize() * compactBelowPercent / 100);
        long started = System.nanoTime();
        Journal.ReplayStats stats = journal.open(store::replay);
        store.finishReplay();
        log.info("Store recovered {} records from {} segments in {} ms: {} queues, {} messages",
                stats.records(), stats.segments(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                store.queues.size(), store.index.size());
        store.maintenance.scheduleWithFixedDelay(store::scheduleMaintenance, 1, 1, TimeUnit.SECONDS);
        return store;
    }

    // ---- what recovery found (call before any other use) ----

    /** The durable queues and subscriptions, in creation order. */
    public List<QueueDefinition> recoveredQueues() {
        List<QueueDefinition> result = new ArrayList<>();
        queues.values().forEach(q -> result.add(q.definition()));
        return result;
    }

    /** Ids of the messages each durable queue holds, ascending (the order they were sent). */
    public Map<Long, long[]> recoveredMessages() {
        Map<Long, List<Long>> lists = new HashMap<>();
        index.forEach(id -> {
            for (long queue : index.queues(id)) {
                lists.computeIfAbsent(queue, q -> new ArrayList<>()).add(id);
            }
        });
        Map<Long, long[]> result = new HashMap<>();
        lists.forEach((queue, ids) -> {
            long[] sorted = ids.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            result.put(queue, sorted);
        });
        return result;
    }

    /** Reads a recovered message. */
    public Message loadMessage(long messageId) throws IOException {
        long location = index.location(messageId);
        if (location < 0) {
            throw new IOException("message " + messageId + " is not stored");
        }
        return MessageCodec.decode(StoreRecords.readMessage(journal.readRecord(location)).message());
    }

    /** Protocol state values found, by namespace then key. */
    public Map<String, Map<String, byte[]>> recoveredState() throws IOException {
        Map<String, Map<String, byte[]>> result = new HashMap<>();
        for (long[] entry : states.values()) {
            ByteBuffer in = journal.readRecord(entry[0]);
            String namespace = MessageCodec.readString(in);
            String key = MessageCodec.readString(in);
            byte[] value = new byte[in.getInt()];
            in.get(value);
            result.computeIfAbsent(namespace, n -> new HashMap<>()).put(key, value);
        }
        return result;
    }

    /** The highest message id stored so far, so the broker continues above it. */
    public long maxMessageId() {
        return maxMessageId;
    }

    public long maxQueueId() {
        return maxQueueId;
    }

    public long diskUsage() {
        return journal.diskUsage();
    }

    // ---- writing ----

    public CompletableFuture<Void> addQueue(QueueDefinition definition) {
        ByteBuffer payload = StoreRecords.queueAdd(definition);
        return submit(new StoreTask() {
            long location;

            @Override
            public void write(Appender appender) {
                location = appender.append(RecordType.QUEUE_ADD, payload);
            }

            @Override
            void apply() {
                applyQueueAdd(definition, location, size(payload));
            }
        });
    }

    /** Removes a durable queue and every message reference it held. */
    public CompletableFuture<Void> removeQueue(long queueId) {
        ByteBuffer payload = StoreRecords.longs(queueId);
        return submit(new StoreTask() {
            long location;

            @Override
            public void write(Appender appender) {
                location = appender.append(RecordType.QUEUE_REMOVE, payload);
            }

            @Override
            void apply() {
                applyQueueRemove(queueId, location, size(payload));
            }
        });
    }

    /** Stores a persistent message held by the given durable queues. */
    public CompletableFuture<Void> addMessage(Message message, long[] queueIds) {
        ByteBuffer payload = StoreRecords.message(0, (byte) 0, queueIds, StoreRecords.encode(message));
        long messageId = message.brokerId();
        return submit(new StoreTask() {
            long location;

            @Override
            public void write(Appender appender) {
                location = appender.append(RecordType.MESSAGE, payload);
                pendingLocations.put(messageId, location);
            }

            @Override
            void apply() {
                pendingLocations.remove(messageId, location);
                applyMessage(messageId, queueIds, false, location, size(payload));
            }

            @Override
            void failed() {
                pendingLocations.remove(messageId, location);
            }
        });
    }

    /** Records that a queue no longer holds a message. Completes at once if it was never stored. */
    public CompletableFuture<Void> acknowledge(long queueId, long messageId) {
        return submit(new StoreTask() {
            AckWrite ack;

            @Override
            public void write(Appender appender) {
                ack = writeAck(appender, 0, queueId, messageId);
            }

            @Override
            void apply() {
                if (ack != null) {
                    applyAck(ack);
                }
            }
        });
    }

    /** A message sent inside a transaction, with the durable queues it goes to. */
    public record TransactionalSend(Message message, long[] queueIds) {
    }

    /** A message a durable queue gives up when the transaction commits. */
    public record TransactionalAck(long queueId, long messageId) {
    }

    /** Writes a local transaction's sends and acks so that all or none of them survive a crash. */
    public CompletableFuture<Void> commit(List<TransactionalSend> sends, List<TransactionalAck> acks) {
        if (sends.isEmpty() && acks.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long txId = transactionIds.incrementAndGet();
        List<ByteBuffer> payloads = new ArrayList<>(sends.size());
        for (TransactionalSend send : sends) {
            payloads.add(StoreRecords.message(txId, (byte) 0, send.queueIds(), StoreRecords.encode(send.message())));
        }
        return submit(new StoreTask() {
            final long[] locations = new long[sends.size()];
            final List<AckWrite> written = new ArrayList<>();

            @Override
            public void write(Appender appender) {
                int total = appender.recordSize(8) * (acks.size() + 1)
                        + acks.size() * appender.recordSize(32);
                for (ByteBuffer payload : payloads) {
                    total += appender.recordSize(payload.remaining());
                }
                appender.reserve(total);
                for (int i = 0; i < payloads.size(); i++) {
                    locations[i] = appender.append(RecordType.MESSAGE, payloads.get(i));
                    pendingLocations.put(sends.get(i).message().brokerId(), locations[i]);
                }
                for (TransactionalAck ack : acks) {
                    AckWrite w = writeAck(appender, txId, ack.queueId(), ack.messageId());
                    if (w != null) {
                        written.add(w);
                    }
                }
                appender.append(RecordType.TX_COMMIT, StoreRecords.longs(txId));
            }

            @Override
            void apply() {
                for (int i = 0; i < payloads.size(); i++) {
                    long id = sends.get(i).message().brokerId();
                    pendingLocations.remove(id, locations[i]);
                    applyMessage(id, sends.get(i).queueIds(), false, locations[i], size(payloads.get(i)));
                }
                written.forEach(MessageStore.this::applyAck);
            }

            @Override
            void failed() {
                for (int i = 0; i < payloads.size(); i++) {
                    pendingLocations.remove(sends.get(i).message().brokerId(), locations[i]);
                }
            }
        });
    }

    /** Stores a protocol's state value (replacing the previous one under the key). */
    public CompletableFuture<Void> putState(String namespace, String key, byte[] value) {
        ByteBuffer payload = StoreRecords.statePut(namespace, key, value);
        return submit(new StoreTask() {
            long location;

            @Override
            public void write(Appender appender) {
                location = appender.append(RecordType.STATE_PUT, payload);
            }

            @Override
            void apply() {
                applyStatePut(stateKey(namespace, key), location, size(payload));
            }
        });
    }

    public CompletableFuture<Void> removeState(String namespace, String key) {
        return submit(new StoreTask() {
            long location = -1;
            long target;
            int size;

            @Override
            public void write(Appender appender) {
                long[] current = states.get(stateKey(namespace, key));
                if (current == null) {
                    return;
                }
                target = Locations.segment(current[0]);
                ByteBuffer payload = StoreRecords.stateRemove(namespace, key, target);
                size = size(payload);
                location = appender.append(RecordType.STATE_REMOVE, payload);
            }

            @Override
            void apply() {
                if (location >= 0) {
                    applyStateRemove(stateKey(namespace, key), target, location, size);
                }
            }
        });
    }

    /** Stops maintenance, finishes queued writes and closes the journal. */
    @Override
    public void close() {
        maintenance.shutdownNow();
        journal.close();
    }

    // ---- tasks ----

    /** A journal task whose effect on the index is applied once its records are durable. */
    private abstract static class StoreTask implements JournalTask {
        final CompletableFuture<Void> future = new CompletableFuture<>();

        abstract void apply();

        void failed() {
        }

        @Override
        public void done(Throwable failure) {
            if (failure == null) {
                apply();
                future.complete(null);
            } else {
                failed();
                future.completeExceptionally(failure);
            }
        }
    }

    private CompletableFuture<Void> submit(StoreTask task) {
        journal.submit(task);
        return task.future;
    }

    private record AckWrite(long queueId, long messageId, long target, long location, int size) {
    }

    /** Writes an ACK if the message is stored (or being stored in this batch); on the writer thread. */
    private AckWrite writeAck(JournalTask.Appender appender, long txId, long queueId, long messageId) {
        Long pending = pendingLocations.get(messageId);
        long messageLocation = pending != null ? pending : index.location(messageId);
        if (messageLocation < 0) {
            return null;
        }
        long target = Locations.segment(messageLocation);
        ByteBuffer payload = StoreRecords.longs(txId, queueId, messageId, target);
        long location = appender.append(RecordType.ACK, payload);
        return new AckWrite(queueId, messageId, target, location, size(payload));
    }

    private static int size(ByteBuffer payload) {
        return 9 + payload.remaining();
    }

    private static String stateKey(String namespace, String key) {
        return namespace + '\u0000' + key;
    }

    // ---- applying records to the index: the same for replay and for live writes ----

    private void applyQueueAdd(QueueDefinition definition, long location, int size) {
        queues.put(definition.id(), new StoredQueue(definition, location, size));
        maxQueueId = Math.max(maxQueueId, definition.id());
        liveness.live(Locations.segment(location), size);
    }

    private void applyQueueRemove(long queueId, long location, int size) {
        StoredQueue removed = queues.remove(queueId);
        removedQueues.add(queueId);
        maxQueueId = Math.max(maxQueueId, queueId);
        if (removed != null) {
            liveness.dead(Locations.segment(removed.location()), removed.size());
        }
        // Kept for good: messages of the queue may sit in older segments.
        liveness.live(Locations.segment(location), size);
        List<Long> held = new ArrayList<>();
        index.forEach(id -> {
            for (long q : index.queues(id)) {
                if (q == queueId) {
                    held.add(id);
                }
            }
        });
        for (long id : held) {
            dropQueueFromMessage(id, queueId);
        }
    }

    private void applyMessage(long messageId, long[] queueIds, boolean copy, long location, int size) {
        maxMessageId = Math.max(maxMessageId, messageId);
        long[] holders = existing(queueIds);
        if (copy && index.contains(messageId)) {
            // A compaction copy of a message whose original is still on disk: only the queues that
            // still hold it, at its new place.
            long[] still = intersect(index.queues(messageId), holders);
            liveness.dead(Locations.segment(index.location(messageId)), index.recordSize(messageId));
            index.removeAll(messageId);
            holders = still;
        }
        if (holders.length == 0) {
            return;
        }
        index.put(messageId, location, size, holders);
        liveness.live(Locations.segment(location), size);
    }

    private void applyAck(AckWrite ack) {
        dropQueueFromMessage(ack.messageId(), ack.queueId());
        liveness.cancel(Locations.segment(ack.location()), ack.target(), ack.size());
    }

    private void dropQueueFromMessage(long messageId, long queueId) {
        long location = index.location(messageId);
        int size = index.recordSize(messageId);
        if (location >= 0 && index.removeQueue(messageId, queueId)) {
            liveness.dead(Locations.segment(location), size);
        }
    }

    private void applyStatePut(String key, long location, int size) {
        long[] previous = states.put(key, new long[] {location, size});
        if (previous != null) {
            liveness.dead(Locations.segment(previous[0]), (int) previous[1]);
        }
        liveness.live(Locations.segment(location), size);
    }

    private void applyStateRemove(String key, long target, long location, int size) {
        long[] previous = states.remove(key);
        if (previous != null) {
            liveness.dead(Locations.segment(previous[0]), (int) previous[1]);
        }
        liveness.cancel(Locations.segment(location), target, size);
    }

    private long[] existing(long[] queueIds) {
        int n = 0;
        long[] result = new long[queueIds.length];
        for (long q : queueIds) {
            if (queues.containsKey(q) && !removedQueues.contains(q)) {
                result[n++] = q;
            }
        }
        return n == result.length ? result : Arrays.copyOf(result, n);
    }

    private static long[] intersect(long[] a, long[] b) {
        long[] result = new long[Math.min(a.length, b.length)];
        int n = 0;
        for (long x : a) {
            for (long y : b) {
                if (x == y) {
                    result[n++] = x;
                    break;
                }
            }
        }
        return Arrays.copyOf(result, n);
    }

    // ---- replay ----

    private void replay(long location, byte type, ByteBuffer payload) {
        int size = 9 + payload.remaining();
        switch (type) {
            case RecordType.QUEUE_ADD -> applyQueueAdd(StoreRecords.readQueueAdd(payload), location, size);
            case RecordType.QUEUE_REMOVE -> applyQueueRemove(payload.getLong(), location, size);
            case RecordType.MESSAGE -> {
                StoreRecords.MessageRecord record = StoreRecords.readMessage(payload);
                long id = record.messageId();
                Runnable apply = () -> applyMessage(id, record.queueIds(), record.flags() == StoreRecords.COPY,
                        location, size);
                inTransaction(record.txId(), apply);
            }
            case RecordType.ACK -> {
                long txId = payload.getLong();
                AckWrite ack = new AckWrite(payload.getLong(), payload.getLong(), payload.getLong(), location, size);
                inTransaction(txId, () -> applyAck(ack));
            }
            case RecordType.TX_COMMIT -> {
                List<Runnable> records = replayTransactions.remove(payload.getLong());
                if (records != null) {
                    records.forEach(Runnable::run);
                }
            }
            case RecordType.STATE_PUT -> {
                String namespace = MessageCodec.readString(payload);
                applyStatePut(stateKey(namespace, MessageCodec.readString(payload)), location, size);
            }
            case RecordType.STATE_REMOVE -> {
                String namespace = MessageCodec.readString(payload);
                String key = MessageCodec.readString(payload);
                applyStateRemove(stateKey(namespace, key), payload.getLong(), location, size);
            }
            default -> throw new IllegalStateException("unknown store record type " + type + " at "
                    + Locations.describe(location));
        }
    }

    private void inTransaction(long txId, Runnable apply) {
        if (txId == 0) {
            apply.run();
        } else {
            replayTransactions.computeIfAbsent(txId, t -> new ArrayList<>()).add(apply);
        }
    }

    private void finishReplay() {
        if (!replayTransactions.isEmpty()) {
            log.warn("Store: {} transaction(s) were not committed before the broker stopped and are rolled back",
                    replayTransactions.size());
            abandonedTransactions.addAll(replayTransactions.keySet());
            replayTransactions.clear();
        }
    }

    // ---- maintenance: deleting dead segments, compacting sparse ones ----

    private void scheduleMaintenance() {
        journal.submit(new MaintenanceTask());
    }

    private final class MaintenanceTask implements JournalTask {
        private long compacted = -1;
        private final List<Runnable> relocations = new ArrayList<>();

        @Override
        public boolean exclusive() {
            return true;
        }

        @Override
        public void write(Appender appender) {
            long current = journal.currentSegment();
            List<Long> sealed = new ArrayList<>(journal.segmentIds());
            sealed.removeIf(segment -> segment >= current);
            for (long segment : liveness.empty(sealed)) {
                deleteSegment(segment);
                sealed.remove(segment);
            }
            long sparse = liveness.sparsest(sealed, compactBelowBytes);
            if (sparse < 0) {
                return;
            }
            try {
                journal.read(sparse, (location, type, payload) -> carryForward(appender, sparse, location, type, payload));
                compacted = sparse;
            } catch (IOException | CorruptJournalException e) {
                relocations.clear();
                log.error("Store: compacting journal segment {} failed; it is kept", sparse, e);
            }
        }

        @Override
        public void done(Throwable failure) {
            if (failure != null) {
                log.error("Store: compaction write failed; the segment is kept", failure);
                return;
            }
            relocations.forEach(Runnable::run);
            if (compacted >= 0) {
                deleteSegment(compacted);
            }
        }

        private void carryForward(Appender appender, long segment, long location, byte type, ByteBuffer payload) {
            switch (type) {
                case RecordType.QUEUE_ADD -> {
                    QueueDefinition q = StoreRecords.readQueueAdd(payload.duplicate());
                    StoredQueue stored = queues.get(q.id());
                    if (stored != null && stored.location() == location) {
                        long moved = appender.append(type, payload);
                        int size = 9 + payload.remaining();
                        relocations.add(() -> applyQueueAdd(q, moved, size));
                    }
                }
                case RecordType.QUEUE_REMOVE -> {
                    long moved = appender.append(type, payload);
                    int size = 9 + payload.remaining();
                    relocations.add(() -> liveness.live(Locations.segment(moved), size));
                }
                case RecordType.MESSAGE -> {
                    StoreRecords.MessageRecord record = StoreRecords.readMessage(payload.duplicate());
                    long id = record.messageId();
                    if (!abandonedTransactions.contains(record.txId()) && index.location(id) == location) {
                        long[] holders = index.queues(id);
                        ByteBuffer copy = StoreRecords.message(0, StoreRecords.COPY, holders, record.message());
                        long moved = appender.append(type, copy);
                        int size = 9 + copy.remaining();
                        relocations.add(() -> {
                            liveness.dead(segment, index.recordSize(id));
                            index.relocate(id, moved, size);
                            liveness.live(Locations.segment(moved), size);
                        });
                    }
                }
                case RecordType.ACK -> {
                    ByteBuffer in = payload.duplicate();
                    long txId = in.getLong();
                    long queueId = in.getLong();
                    long messageId = in.getLong();
                    long target = in.getLong();
                    if (!abandonedTransactions.contains(txId) && liveness.cancelNeeded(segment, target)) {
                        ByteBuffer copy = StoreRecords.longs(0, queueId, messageId, target);
                        long moved = appender.append(type, copy);
                        int size = 9 + copy.remaining();
                        relocations.add(() -> liveness.cancel(Locations.segment(moved), target, size));
                    }
                }
                case RecordType.STATE_PUT -> {
                    ByteBuffer in = payload.duplicate();
                    String key = stateKey(MessageCodec.readString(in), MessageCodec.readString(in));
                    long[] current = states.get(key);
                    if (current != null && current[0] == location) {
                        long moved = appender.append(type, payload);
                        int size = 9 + payload.remaining();
                        relocations.add(() -> applyStatePut(key, moved, size));
                    }
                }
                case RecordType.STATE_REMOVE -> {
                    ByteBuffer in = payload.duplicate();
                    MessageCodec.readString(in);
                    MessageCodec.readString(in);
                    long target = in.getLong();
                    if (liveness.cancelNeeded(segment, target)) {
                        long moved = appender.append(type, payload);
                        int size = 9 + payload.remaining();
                        relocations.add(() -> liveness.cancel(Locations.segment(moved), target, size));
                    }
                }
                default -> {
                    // TX_COMMIT: carried records are written outside any transaction.
                }
            }
        }

        private void deleteSegment(long segment) {
            try {
                journal.delete(segment);
                liveness.deleted(segment);
            } catch (IOException e) {
                log.warn("Store: deleting journal segment {} failed; will retry", segment, e);
            }
        }
    }
}
