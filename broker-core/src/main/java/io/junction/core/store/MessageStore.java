package io.junction.core.store;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.schedule.Schedule;
import io.junction.core.schedule.ScheduleState;
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
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable broker state on the {@link Journal}: durable queue and subscription definitions,
 * persistent messages with the queues holding them, acknowledgements, local transactions,
 * persistent scheduled messages with where their schedules stand, and opaque protocol state. Every method returns at once; its future completes on the journal's
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
    private final Map<Long, StoredSchedule> schedules = new HashMap<>();
    /** Where messages written by tasks not yet done are, so acks in the same batch can name them. */
    private final Map<Long, Long> pendingLocations = new HashMap<>();
    /** Where state values written by tasks not yet done are, so removals in the same batch can name them. */
    private final Map<String, Long> pendingStates = new HashMap<>();
    /**
     * Segments holding originals of records that were copied forward: found at recovery (a crash
     * between compaction's copies and its delete). Compacted before anything else is deleted.
     */
    private final TreeSet<Long> staleSegments = new TreeSet<>();
    /**
     * Segments whose deletion failed. Nothing newer is deleted until they are: a cancel record is
     * dropped once the segment it names is gone, and an older copy of what it cancelled would then
     * come back on the next replay.
     */
    private final TreeSet<Long> undeletedSegments = new TreeSet<>();
    /** Transactions found without their commit at recovery; compaction never carries their records. */
    private final Set<Long> abandonedTransactions = new HashSet<>();
    private final Map<Long, List<Runnable>> replayTransactions = new HashMap<>();
    private long maxMessageId;
    private long maxQueueId;
    private long maxTransactionId;
    /** While replaying, messages may name queues whose definition comes later (carried forward by compaction). */
    private boolean replaying = true;

    private record StoredQueue(QueueDefinition definition, long location, int size) {
    }

    /**
     * A persistent scheduled message: its SCHEDULE record (which holds the message), and the
     * SCHEDULE_STATE record of its latest state when that is newer than the one the SCHEDULE
     * record holds (-1 otherwise).
     */
    private static final class StoredSchedule {
        final Schedule schedule;
        ScheduleState state;
        long location;
        int size;
        long stateLocation = -1;
        int stateSize;

        StoredSchedule(Schedule schedule, ScheduleState state, long location, int size) {
            this.schedule = schedule;
            this.state = state;
            this.location = location;
            this.size = size;
        }
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
        return open(directory, options, files, compactBelowPercent, false);
    }

    /**
     * @param afterSalvage segments were quarantined: messages whose queue definition went with them
     *                     are kept in queues defined again from the messages (otherwise messages of
     *                     undefined queues are dropped)
     */
    public static MessageStore open(Path directory, JournalOptions options, JournalFiles files,
                                    int compactBelowPercent, boolean afterSalvage)
            throws IOException, CorruptJournalException {
        Journal journal = new Journal(directory, options, files);
        MessageStore store = new MessageStore(journal, (long) options.segmentSize() * compactBelowPercent / 100);
        long started = System.nanoTime();
        Journal.ReplayStats stats = journal.open(store::replay);
        store.finishReplay(afterSalvage);
        log.info("Store recovered {} records from {} segments in {} ms: {} queues, {} messages",
                stats.records(), stats.segments(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                store.queues.size(), store.index.size());
        store.maintenance.scheduleWithFixedDelay(store::scheduleMaintenance, 1, 1, TimeUnit.SECONDS);
        return store;
    }

    // ---- what recovery found (call before any other use) ----

    /** The durable queues and subscriptions, in creation order (ids ascend; compaction reorders records). */
    public List<QueueDefinition> recoveredQueues() {
        List<QueueDefinition> result = new ArrayList<>();
        queues.values().forEach(q -> result.add(q.definition()));
        result.sort(Comparator.comparingLong(QueueDefinition::id));
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

    /** A persistent scheduled message found at recovery; {@link #loadScheduled} reads its message. */
    public record RecoveredSchedule(long id, Schedule schedule, ScheduleState state) {
    }

    /** The persistent scheduled messages that have deliveries left, with where each stands. */
    public List<RecoveredSchedule> recoveredSchedules() {
        List<RecoveredSchedule> result = new ArrayList<>(schedules.size());
        schedules.forEach((id, s) -> result.add(new RecoveredSchedule(id, s.schedule, s.state)));
        result.sort(Comparator.comparingLong(RecoveredSchedule::id));
        return result;
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

    /** Journal forces (fsyncs) and records since the store opened: records per force is the group-commit ratio. */
    public long journalForces() {
        return journal.forces();
    }

    public long journalRecords() {
        return journal.recordsAppended();
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

    /**
     * Stores a persistent scheduled message (its id is its broker id) with its schedule and first
     * state. Only the schedule's metadata stays in memory; {@link #loadScheduled} reads the message.
     */
    public CompletableFuture<Void> addSchedule(Message message, Schedule schedule, ScheduleState state) {
        ByteBuffer payload = StoreRecords.schedule(0, (byte) 0, schedule, state, StoreRecords.encode(message));
        long scheduleId = message.brokerId();
        return submit(new StoreTask() {
            long location;

            @Override
            public void write(Appender appender) {
                location = appender.append(RecordType.SCHEDULE, payload);
            }

            @Override
            void apply() {
                applySchedule(scheduleId, schedule, state, location, size(payload));
            }
        });
    }

    /**
     * Reads a stored scheduled message. Read on the writer thread, where the record's place is
     * known (compaction may move it); fails when the schedule is not stored (any more).
     */
    public CompletableFuture<Message> loadScheduled(long scheduleId) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        journal.submit(new JournalTask() {
            Message message;
            Exception error;

            @Override
            public void write(Appender appender) {
                StoredSchedule stored = schedules.get(scheduleId);
                if (stored == null) {
                    error = new IOException("scheduled message " + scheduleId + " is not stored");
                    return;
                }
                try {
                    message = MessageCodec.decode(StoreRecords.readSchedule(journal.readRecord(stored.location)).message());
                } catch (IOException | RuntimeException e) {
                    error = e;
                }
            }

            @Override
            public void done(Throwable failure) {
                Throwable problem = failure != null ? failure : error;
                if (problem == null) {
                    result.complete(message);
                } else {
                    result.completeExceptionally(problem);
                }
            }
        });
        return result;
    }

    /**
     * Records a delivery of a persistent schedule: the delivered message with the durable queues it
     * went to (none: {@code delivery} may be null), then where the schedule stands now, or that it
     * is done when {@code next} is null. Both are written in one batch, so a delivery a consumer
     * may have seen is never made again after a crash.
     */
    public CompletableFuture<Void> scheduleDelivered(long scheduleId, ScheduleState next, Message delivery,
                                                     long[] queueIds) {
        ByteBuffer message = delivery == null || queueIds.length == 0 ? null
                : StoreRecords.message(0, (byte) 0, queueIds, StoreRecords.encode(delivery));
        ByteBuffer state = next == null ? null : StoreRecords.scheduleState(scheduleId, next);
        return submit(new StoreTask() {
            long messageLocation = -1;
            long stateLocation = -1;
            ByteBuffer done;
            long doneTarget;
            long doneLocation = -1;

            @Override
            public void write(Appender appender) {
                StoredSchedule stored = schedules.get(scheduleId);
                int total = appender.recordSize(state != null ? state.remaining() : 16);
                if (message != null) {
                    total += appender.recordSize(message.remaining());
                }
                appender.reserve(total);
                if (message != null) {
                    messageLocation = appender.append(RecordType.MESSAGE, message);
                    pendingLocations.put(delivery.brokerId(), messageLocation);
                }
                if (stored == null) {
                    return;
                }
                if (state != null) {
                    stateLocation = appender.append(RecordType.SCHEDULE_STATE, state);
                } else {
                    doneTarget = Locations.segment(stored.location);
                    done = StoreRecords.longs(scheduleId, doneTarget);
                    doneLocation = appender.append(RecordType.SCHEDULE_DONE, done);
                }
            }

            @Override
            void apply() {
                if (messageLocation >= 0) {
                    pendingLocations.remove(delivery.brokerId(), messageLocation);
                    applyMessage(delivery.brokerId(), queueIds, false, messageLocation, size(message));
                }
                if (stateLocation >= 0) {
                    applyScheduleState(scheduleId, next, stateLocation, size(state));
                }
                if (doneLocation >= 0) {
                    applyScheduleDone(scheduleId, doneTarget, doneLocation, size(done));
                }
            }

            @Override
            void failed() {
                if (messageLocation >= 0) {
                    pendingLocations.remove(delivery.brokerId(), messageLocation);
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

    /** A persistent scheduled message sent inside a transaction, with its first state. */
    public record TransactionalSchedule(Message message, Schedule schedule, ScheduleState state) {
    }

    /** Writes a local transaction's sends and acks so that all or none of them survive a crash. */
    public CompletableFuture<Void> commit(List<TransactionalSend> sends, List<TransactionalAck> acks) {
        return commit(sends, List.of(), acks);
    }

    /** The same, with the persistent scheduled messages the transaction sent. */
    public CompletableFuture<Void> commit(List<TransactionalSend> sends, List<TransactionalSchedule> scheduled,
                                          List<TransactionalAck> acks) {
        if (sends.isEmpty() && scheduled.isEmpty() && acks.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long txId = transactionIds.incrementAndGet();
        List<ByteBuffer> payloads = new ArrayList<>(sends.size());
        for (TransactionalSend send : sends) {
            payloads.add(StoreRecords.message(txId, (byte) 0, send.queueIds(), StoreRecords.encode(send.message())));
        }
        List<ByteBuffer> schedulePayloads = new ArrayList<>(scheduled.size());
        for (TransactionalSchedule schedule : scheduled) {
            schedulePayloads.add(StoreRecords.schedule(txId, (byte) 0, schedule.schedule(), schedule.state(),
                    StoreRecords.encode(schedule.message())));
        }
        return submit(new StoreTask() {
            final long[] locations = new long[sends.size()];
            final long[] scheduleLocations = new long[scheduled.size()];
            final List<AckWrite> written = new ArrayList<>();

            @Override
            public void write(Appender appender) {
                int total = appender.recordSize(8) * (acks.size() + 1)
                        + acks.size() * appender.recordSize(32);
                for (ByteBuffer payload : payloads) {
                    total += appender.recordSize(payload.remaining());
                }
                for (ByteBuffer payload : schedulePayloads) {
                    total += appender.recordSize(payload.remaining());
                }
                appender.reserve(total);
                for (int i = 0; i < payloads.size(); i++) {
                    locations[i] = appender.append(RecordType.MESSAGE, payloads.get(i));
                    pendingLocations.put(sends.get(i).message().brokerId(), locations[i]);
                }
                for (int i = 0; i < schedulePayloads.size(); i++) {
                    scheduleLocations[i] = appender.append(RecordType.SCHEDULE, schedulePayloads.get(i));
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
                for (int i = 0; i < schedulePayloads.size(); i++) {
                    TransactionalSchedule schedule = scheduled.get(i);
                    applySchedule(schedule.message().brokerId(), schedule.schedule(), schedule.state(),
                            scheduleLocations[i], size(schedulePayloads.get(i)));
                }
            }

            @Override
            void failed() {
                for (int i = 0; i < payloads.size(); i++) {
                    pendingLocations.remove(sends.get(i).message().brokerId(), locations[i]);
                }
            }
        });
    }

    /**
     * Stores a protocol's state value (replacing the previous one under the key). A value replacing
     * one in an older segment is preceded by a STATE_REMOVE of that one, which stays while that
     * segment does: the new value's record may be gone first (removed, its segment deleted), and the
     * older value must not come back on replay.
     */
    public CompletableFuture<Void> putState(String namespace, String key, byte[] value) {
        ByteBuffer payload = StoreRecords.statePut(namespace, key, value);
        String stateKey = stateKey(namespace, key);
        return submit(new StoreTask() {
            long location = -1;
            StateRemoval replaced;

            @Override
            public void write(Appender appender) {
                if (payload.remaining() > journal.options().maxPayload()) {
                    throw new IllegalArgumentException("state value of " + payload.remaining()
                            + " bytes is larger than a journal segment allows");
                }
                long previous = currentStateLocation(stateKey);
                if (previous >= 0) {
                    long target = Locations.segment(previous);
                    ByteBuffer remove = StoreRecords.stateRemove(namespace, key, target);
                    appender.reserve(appender.recordSize(remove.remaining()) + appender.recordSize(payload.remaining()));
                    if (target != journal.currentSegment()) {
                        replaced = new StateRemoval(stateKey, target, appender.append(RecordType.STATE_REMOVE, remove),
                                size(remove));
                    }
                }
                location = appender.append(RecordType.STATE_PUT, payload);
                pendingStates.put(stateKey, location);
            }

            @Override
            void apply() {
                pendingStates.remove(stateKey, location);
                if (replaced != null) {
                    applyStateRemove(replaced);
                }
                applyStatePut(stateKey, location, size(payload));
            }

            @Override
            void failed() {
                pendingStates.remove(stateKey, location);
            }
        });
    }

    public CompletableFuture<Void> removeState(String namespace, String key) {
        String stateKey = stateKey(namespace, key);
        return submit(new StoreTask() {
            StateRemoval removal;

            @Override
            public void write(Appender appender) {
                long current = currentStateLocation(stateKey);
                if (current < 0) {
                    return;
                }
                long target = Locations.segment(current);
                ByteBuffer payload = StoreRecords.stateRemove(namespace, key, target);
                removal = new StateRemoval(stateKey, target, appender.append(RecordType.STATE_REMOVE, payload),
                        size(payload));
            }

            @Override
            void apply() {
                if (removal != null) {
                    applyStateRemove(removal);
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

    /** A STATE_REMOVE record written: of the value under {@code key} whose record is in segment {@code target}. */
    private record StateRemoval(String key, long target, long location, int size) {
    }

    /** Where the current value under the key is (being) written, or -1; on the writer thread. */
    private long currentStateLocation(String stateKey) {
        Long pending = pendingStates.get(stateKey);
        if (pending != null) {
            return pending;
        }
        long[] current = states.get(stateKey);
        return current == null ? -1 : current[0];
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
        StoredQueue previous = queues.put(definition.id(), new StoredQueue(definition, location, size));
        if (previous != null) {
            // A compaction copy: the original's segment was not deleted.
            superseded(previous.location(), location, previous.size());
        }
        maxQueueId = Math.max(maxQueueId, definition.id());
        liveness.live(Locations.segment(location), size);
    }

    /** The record at {@code original} is replaced by its copy at {@code copy}. */
    private void superseded(long original, long copy, int size) {
        if (original < 0) {
            // A definition redefined after a salvage: nothing on disk to supersede.
            return;
        }
        long segment = Locations.segment(original);
        liveness.dead(segment, size);
        if (segment != Locations.segment(copy)) {
            staleSegments.add(segment);
        }
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
        if (replaying) {
            // finishReplay drops the queues that are not defined, in one pass over the index.
            return;
        }
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
            superseded(index.location(messageId), location, index.recordSize(messageId));
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
            // Replacing a value in another segment without a removal first: a compaction copy.
            superseded(previous[0], location, (int) previous[1]);
        }
        liveness.live(Locations.segment(location), size);
    }

    private void applyStateRemove(StateRemoval removal) {
        long[] previous = states.remove(removal.key());
        if (previous != null) {
            liveness.dead(Locations.segment(previous[0]), (int) previous[1]);
        }
        liveness.cancel(Locations.segment(removal.location()), removal.target(), removal.size());
    }

    /**
     * A SCHEDULE record: a new schedule, or a compaction copy of one whose original is still on
     * disk. The copy's state replaces the known one unless a later state was recorded.
     */
    private void applySchedule(long id, Schedule schedule, ScheduleState state, long location, int size) {
        maxMessageId = Math.max(maxMessageId, id);
        StoredSchedule stored = schedules.get(id);
        if (stored == null) {
            schedules.put(id, new StoredSchedule(schedule, state, location, size));
        } else {
            superseded(stored.location, location, stored.size);
            stored.location = location;
            stored.size = size;
            if (state.version() >= stored.state.version()) {
                stored.state = state;
                if (stored.stateLocation >= 0) {
                    liveness.dead(Locations.segment(stored.stateLocation), stored.stateSize);
                    stored.stateLocation = -1;
                }
            }
        }
        liveness.live(Locations.segment(location), size);
    }

    /** A SCHEDULE_STATE record; one older than the state known, or of a finished schedule, is dead. */
    private void applyScheduleState(long id, ScheduleState state, long location, int size) {
        StoredSchedule stored = schedules.get(id);
        if (stored == null || state.version() < stored.state.version()) {
            return;
        }
        if (stored.stateLocation >= 0) {
            if (state.version() == stored.state.version()) {
                superseded(stored.stateLocation, location, stored.stateSize);
            } else {
                liveness.dead(Locations.segment(stored.stateLocation), stored.stateSize);
            }
        }
        stored.state = state;
        stored.stateLocation = location;
        stored.stateSize = size;
        liveness.live(Locations.segment(location), size);
    }

    private void applyScheduleDone(long id, long target, long location, int size) {
        StoredSchedule stored = schedules.remove(id);
        if (stored != null) {
            liveness.dead(Locations.segment(stored.location), stored.size);
            if (stored.stateLocation >= 0) {
                liveness.dead(Locations.segment(stored.stateLocation), stored.stateSize);
            }
        }
        liveness.cancel(Locations.segment(location), target, size);
    }

    private long[] existing(long[] queueIds) {
        int n = 0;
        long[] result = new long[queueIds.length];
        for (long q : queueIds) {
            if ((replaying || queues.containsKey(q)) && !removedQueues.contains(q)) {
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
                maxTransactionId = Math.max(maxTransactionId, record.txId());
                Runnable apply = () -> applyMessage(id, record.queueIds(), record.flags() == StoreRecords.COPY,
                        location, size);
                inTransaction(record.txId(), apply);
            }
            case RecordType.ACK -> {
                long txId = payload.getLong();
                maxTransactionId = Math.max(maxTransactionId, txId);
                AckWrite ack = new AckWrite(payload.getLong(), payload.getLong(), payload.getLong(), location, size);
                inTransaction(txId, () -> applyAck(ack));
            }
            case RecordType.TX_COMMIT -> {
                long txId = payload.getLong();
                maxTransactionId = Math.max(maxTransactionId, txId);
                List<Runnable> records = replayTransactions.remove(txId);
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
                applyStateRemove(new StateRemoval(stateKey(namespace, key), payload.getLong(), location, size));
            }
            case RecordType.SCHEDULE -> {
                StoreRecords.ScheduleRecord record = StoreRecords.readSchedule(payload);
                long id = record.scheduleId();
                maxTransactionId = Math.max(maxTransactionId, record.txId());
                inTransaction(record.txId(), () -> applySchedule(id, record.schedule(), record.state(), location, size));
            }
            case RecordType.SCHEDULE_STATE -> {
                long id = payload.getLong();
                applyScheduleState(id, StoreRecords.readState(payload), location, size);
            }
            case RecordType.SCHEDULE_DONE -> {
                long id = payload.getLong();
                applyScheduleDone(id, payload.getLong(), location, size);
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

    private void finishReplay(boolean afterSalvage) {
        replaying = false;
        // Queue ids never defined, or whose definition is gone with its segment after a removal.
        List<long[]> undefined = new ArrayList<>();
        Map<Long, Long> lostDefinitions = new LinkedHashMap<>();
        index.forEach(id -> {
            for (long q : index.queues(id)) {
                if (!queues.containsKey(q)) {
                    if (removedQueues.contains(q) || !afterSalvage) {
                        undefined.add(new long[] {id, q});
                    } else {
                        lostDefinitions.putIfAbsent(q, id);
                    }
                }
            }
        });
        undefined.forEach(held -> dropQueueFromMessage(held[0], held[1]));
        lostDefinitions.forEach(this::redefineLostQueue);
        // Rolled-back transactions keep their records on disk: new ids must not meet them.
        transactionIds.set(maxTransactionId);
        if (!replayTransactions.isEmpty()) {
            log.warn("Store: {} transaction(s) were not committed before the broker stopped and are rolled back",
                    replayTransactions.size());
            abandonedTransactions.addAll(replayTransactions.keySet());
            replayTransactions.clear();
        }
    }

    /**
     * A queue whose messages survived but whose definition did not (its segment was quarantined
     * by a salvage): defined again, named after the queue its first message was sent to, or
     * {@code salvaged.<id>} when that cannot be told, so its messages are not lost.
     */
    private void redefineLostQueue(long queueId, long sampleMessageId) {
        String name = "salvaged." + queueId;
        try {
            Destination destination = loadMessage(sampleMessageId).destination();
            if (destination.type() == DestinationType.QUEUE && !destination.isComposite()) {
                String taken = destination.name();
                boolean used = queues.values().stream().anyMatch(q -> q.definition().name().equals(taken));
                name = used ? "salvaged." + taken + "." + queueId : taken;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Store: cannot read a message of queue {} to name it: {}", queueId, e.toString());
        }
        QueueDefinition definition = new QueueDefinition(queueId, name, null, null);
        log.warn("Store: the definition of queue {} was lost with a damaged segment; its messages are kept in "
                + "queue '{}'", queueId, name);
        queues.put(queueId, new StoredQueue(definition, -1, 0));
        addQueue(definition);
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
            undeletedSegments.retainAll(sealed);
            staleSegments.retainAll(sealed);
            for (long segment : List.copyOf(undeletedSegments)) {
                deleteSegment(segment);
            }
            if (!undeletedSegments.isEmpty()) {
                return;
            }
            long target;
            if (!staleSegments.isEmpty()) {
                target = staleSegments.first();
            } else {
                // Deleting a segment frees the cancel records naming it, which may empty later ones.
                for (List<Long> empty; !(empty = liveness.empty(sealed)).isEmpty(); ) {
                    for (long segment : empty) {
                        sealed.remove(Long.valueOf(segment));
                        if (!deleteSegment(segment)) {
                            return;
                        }
                    }
                }
                target = liveness.sparsest(sealed, compactBelowBytes);
                if (target < 0) {
                    return;
                }
            }
            try {
                journal.read(target, (location, type, payload) -> carryForward(appender, target, location, type, payload));
                compacted = target;
            } catch (IOException | CorruptJournalException | UncheckedIOException e) {
                relocations.clear();
                log.error("Store: compacting journal segment {} failed; it is kept", target, e);
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
                // More may be sparse (a queue just drained): go on at once rather than a segment a
                // second. Each pass is its own exclusive batch, so sends still interleave.
                if (!maintenance.isShutdown()) {
                    journal.submit(new MaintenanceTask());
                }
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
                    String namespace = MessageCodec.readString(in);
                    String key = MessageCodec.readString(in);
                    long target = in.getLong();
                    if (liveness.cancelNeeded(segment, target)) {
                        // A value put after the removal, in a later segment, must stay after it.
                        ByteBuffer value = currentValueElsewhere(segment, namespace, key);
                        long moved = appender.append(type, payload);
                        int size = 9 + payload.remaining();
                        relocations.add(() -> liveness.cancel(Locations.segment(moved), target, size));
                        if (value != null) {
                            rewriteState(appender, namespace, key, value);
                        }
                    }
                }
                case RecordType.SCHEDULE -> {
                    StoreRecords.ScheduleRecord record = StoreRecords.readSchedule(payload.duplicate());
                    long id = record.scheduleId();
                    StoredSchedule stored = schedules.get(id);
                    if (!abandonedTransactions.contains(record.txId()) && stored != null && stored.location == location) {
                        // The copy holds the state of now, so a later replay needs no older state record.
                        ScheduleState state = stored.state;
                        ByteBuffer copy = StoreRecords.schedule(0, StoreRecords.COPY, stored.schedule, state,
                                record.message());
                        long moved = appender.append(type, copy);
                        int size = 9 + copy.remaining();
                        relocations.add(() -> applySchedule(id, stored.schedule, state, moved, size));
                    }
                }
                case RecordType.SCHEDULE_STATE -> {
                    ByteBuffer in = payload.duplicate();
                    long id = in.getLong();
                    StoredSchedule stored = schedules.get(id);
                    if (stored != null && stored.stateLocation == location) {
                        ScheduleState state = StoreRecords.readState(in);
                        long moved = appender.append(type, payload);
                        int size = 9 + payload.remaining();
                        relocations.add(() -> applyScheduleState(id, state, moved, size));
                    }
                }
                case RecordType.SCHEDULE_DONE -> {
                    long target = payload.getLong(payload.position() + 8);
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

        /** The record of the key's current value when it is in another segment than {@code segment}. */
        private ByteBuffer currentValueElsewhere(long segment, String namespace, String key) {
            String stateKey = stateKey(namespace, key);
            long[] current = states.get(stateKey);
            if (current == null || Locations.segment(current[0]) == segment) {
                return null;
            }
            try {
                return journal.readRecord(current[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the current value again, preceded by a removal of its previous record. */
        private void rewriteState(Appender appender, String namespace, String key, ByteBuffer value) {
            String stateKey = stateKey(namespace, key);
            long previousSegment = Locations.segment(states.get(stateKey)[0]);
            ByteBuffer remove = StoreRecords.stateRemove(namespace, key, previousSegment);
            StateRemoval removal = new StateRemoval(stateKey, previousSegment,
                    appender.append(RecordType.STATE_REMOVE, remove), size(remove));
            long moved = appender.append(RecordType.STATE_PUT, value);
            relocations.add(() -> {
                applyStateRemove(removal);
                applyStatePut(stateKey, moved, size(value));
            });
        }

        /** Returns whether the segment is gone; if not, nothing newer is deleted until it is. */
        private boolean deleteSegment(long segment) {
            try {
                journal.delete(segment);
                liveness.deleted(segment);
                staleSegments.remove(segment);
                undeletedSegments.remove(segment);
                return true;
            } catch (IOException e) {
                undeletedSegments.add(segment);
                log.warn("Store: deleting journal segment {} failed; will retry", segment, e);
                return false;
            }
        }
    }
}
