package io.junction.core.store;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.store.journal.FsyncPolicy;
import io.junction.core.store.journal.Journal;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;
import io.junction.core.store.journal.JournalTask;
import io.junction.core.store.journal.Locations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Small journals, messages with recognisable bodies, and a comparable picture of what a store holds. */
final class StoreFixtures {

    static final int SEGMENT_SIZE = 64 * 1024;
    static final int BATCH_SIZE = 16 * 1024;
    static final int COMPACT_BELOW_PERCENT = 50;
    /** Maintenance runs once a second; several rounds may be needed. */
    static final Duration MAINTENANCE_DEADLINE = Duration.ofSeconds(20);

    private StoreFixtures() {
    }

    static JournalOptions options() {
        return new JournalOptions(SEGMENT_SIZE, FsyncPolicy.NEVER, Duration.ofMillis(10), BATCH_SIZE);
    }

    static MessageStore open(Path directory) throws Exception {
        return open(directory, JournalFiles.DISK);
    }

    static MessageStore open(Path directory, JournalFiles files) throws Exception {
        return MessageStore.open(directory, options(), files, COMPACT_BELOW_PERCENT);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static QueueDefinition queue(long id) {
        return new QueueDefinition(id, "queue-" + id, null, null);
    }

    /** A persistent message with the given broker id and a body of {@code bodySize} bytes derived from it. */
    static Message message(long id, int bodySize) {
        byte[] body = new byte[bodySize];
        for (int i = 0; i < bodySize; i++) {
            body[i] = (byte) (id * 31 + i);
        }
        Message m = Message.builder(Destination.queue("orders"))
                .persistent(true)
                .messageId("ID:" + id)
                .timestamp(1_700_000_000_000L + id)
                .property("seq", id)
                .body(BodyType.BYTES, body)
                .build();
        m.assignBrokerId(id);
        return m;
    }

    static long[] queues(long... ids) {
        return ids;
    }

    static List<Long> segmentIds(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("journal-") && n.endsWith(".seg"))
                    .map(n -> Long.parseLong(n.substring("journal-".length(), n.length() - ".seg".length())))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Zeroes the journal's last record, which must be a TX_COMMIT, after the store is closed: what
     * recovery sees when a crash loses the last write of the newest segment. The transaction's other
     * records stay intact; its commit is not there.
     */
    static void loseLastCommit(Path directory) throws Exception {
        byte[] lastType = new byte[1];
        long[] last = new long[2];
        Journal journal = new Journal(directory, options(), JournalFiles.DISK);
        journal.open((location, type, payload) -> {
            lastType[0] = type;
            last[0] = location;
            last[1] = 9 + payload.remaining();
        });
        journal.close();
        assertThat(lastType[0]).as("the last record is a commit").isEqualTo(RecordType.TX_COMMIT);
        Path segment = directory.resolve(String.format("journal-%020d.seg", Locations.segment(last[0])));
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate((int) last[1]), Locations.offset(last[0]));
        }
    }

    /** Everything a store recovered, in a form that compares by value. */
    record Contents(List<QueueDefinition> queues, Map<Long, List<String>> messages,
                    Map<String, Map<String, String>> state) {
    }

    static Contents contents(MessageStore store) throws IOException {
        Map<Long, List<String>> messages = new TreeMap<>();
        for (Map.Entry<Long, long[]> entry : store.recoveredMessages().entrySet()) {
            List<String> described = new ArrayList<>();
            for (long id : entry.getValue()) {
                described.add(describe(store.loadMessage(id)));
            }
            messages.put(entry.getKey(), described);
        }
        Map<String, Map<String, String>> state = new TreeMap<>();
        store.recoveredState().forEach((namespace, values) -> {
            Map<String, String> hex = new TreeMap<>();
            values.forEach((key, value) -> hex.put(key, HexFormat.of().formatHex(value)));
            state.put(namespace, hex);
        });
        return new Contents(store.recoveredQueues(), messages, state);
    }

    /** Every field of a message; the body by its length and SHA-256, so that failures print short. */
    static String describe(Message m) {
        StringBuilder properties = new StringBuilder();
        m.properties().forEach((name, value) -> properties.append(name).append('=')
                .append(value.getClass().getSimpleName()).append(':')
                .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value).append(','));
        return m.brokerId() + "|" + m.destination() + "|" + m.persistent() + "|" + m.priority() + "|"
                + m.timestamp() + "|" + m.expiration() + "|" + m.messageId() + "|" + m.correlationId() + "|"
                + m.replyTo() + "|" + m.type() + "|" + m.groupId() + "|" + m.groupSequence() + "|" + properties
                + "|" + m.bodyType() + "|" + m.body().length + ":" + sha256(m.body());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes through a store and keeps what it should then hold, so that a reopened store can be
     * compared with it. Message ids are assigned in order from 1.
     */
    static final class Model {

        private final List<QueueDefinition> queues = new ArrayList<>();
        private final Map<Long, Message> messages = new HashMap<>();
        private final Map<Long, TreeSet<Long>> held = new HashMap<>();
        private final Map<String, Map<String, byte[]>> state = new HashMap<>();
        private long nextId = 1;
        MessageStore store;

        Model(MessageStore store) {
            this.store = store;
        }

        CompletableFuture<Void> addQueue(QueueDefinition q) {
            queues.add(q);
            held.put(q.id(), new TreeSet<>());
            return store.addQueue(q);
        }

        CompletableFuture<Void> removeQueue(long id) {
            queues.removeIf(q -> q.id() == id);
            held.remove(id);
            return store.removeQueue(id);
        }

        /** Sends a message with the next id; returns the id. */
        long send(int bodySize, long... queueIds) {
            long id = nextId++;
            Message m = message(id, bodySize);
            messages.put(id, m);
            for (long q : queueIds) {
                held.get(q).add(id);
            }
            store.addMessage(m, queueIds);
            return id;
        }

        CompletableFuture<Void> ack(long queueId, long messageId) {
            held.get(queueId).remove(messageId);
            return store.acknowledge(queueId, messageId);
        }

        /** Sends {@code count} messages to the queue, each acknowledged at once. */
        CompletableFuture<Void> sendAcknowledged(int count, int bodySize, long queueId) {
            CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
            for (int i = 0; i < count; i++) {
                last = ack(queueId, send(bodySize, queueId));
            }
            return last;
        }

        CompletableFuture<Void> putState(String namespace, String key, byte[] value) {
            state.computeIfAbsent(namespace, n -> new HashMap<>()).put(key, value);
            return store.putState(namespace, key, value);
        }

        CompletableFuture<Void> removeState(String namespace, String key) {
            Map<String, byte[]> values = state.get(namespace);
            if (values != null) {
                values.remove(key);
                if (values.isEmpty()) {
                    state.remove(namespace);
                }
            }
            return store.removeState(namespace, key);
        }

        Contents expected() {
            Map<Long, List<String>> expectedMessages = new TreeMap<>();
            held.forEach((queue, ids) -> {
                if (!ids.isEmpty()) {
                    expectedMessages.put(queue, ids.stream().map(id -> describe(messages.get(id))).toList());
                }
            });
            Map<String, Map<String, String>> expectedState = new TreeMap<>();
            state.forEach((namespace, values) -> {
                Map<String, String> hex = new TreeMap<>();
                values.forEach((key, value) -> hex.put(key, HexFormat.of().formatHex(value)));
                expectedState.put(namespace, hex);
            });
            return new Contents(List.copyOf(queues), expectedMessages, expectedState);
        }
    }

    /**
     * Writes store records straight into a journal, to lay out on disk the orders that compaction and
     * crashes produce. {@link #roll()} starts a new segment.
     */
    static final class RecordWriter implements AutoCloseable {

        private final Journal journal;

        RecordWriter(Path directory) throws Exception {
            journal = new Journal(directory, options(), JournalFiles.DISK);
            journal.open((location, type, payload) -> {
            });
        }

        /** Appends one record; returns the segment it landed in. */
        long write(byte type, ByteBuffer payload) throws Exception {
            long[] location = new long[1];
            run(appender -> location[0] = appender.append(type, payload));
            return Locations.segment(location[0]);
        }

        long message(long txId, boolean copy, long[] queueIds, Message message) throws Exception {
            return write(RecordType.MESSAGE,
                    StoreRecords.message(txId, copy ? StoreRecords.COPY : 0, queueIds, StoreRecords.encode(message)));
        }

        long ack(long txId, long queueId, long messageId, long targetSegment) throws Exception {
            return write(RecordType.ACK, StoreRecords.longs(txId, queueId, messageId, targetSegment));
        }

        void roll() throws Exception {
            run(appender -> appender.reserve(SEGMENT_SIZE - 16));
        }

        private void run(Consumer<JournalTask.Appender> body) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            journal.submit(new JournalTask() {
                @Override
                public void write(Appender appender) {
                    body.accept(appender);
                }

                @Override
                public void done(Throwable failure) {
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(failure);
                    }
                }
            });
            await(done);
        }

        @Override
        public void close() {
            journal.close();
        }
    }
}
