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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

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

    /** Every field of a message, byte arrays in hex. */
    static String describe(Message m) {
        StringBuilder properties = new StringBuilder();
        m.properties().forEach((name, value) -> properties.append(name).append('=')
                .append(value.getClass().getSimpleName()).append(':')
                .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value).append(','));
        return m.brokerId() + "|" + m.destination() + "|" + m.persistent() + "|" + m.priority() + "|"
                + m.timestamp() + "|" + m.expiration() + "|" + m.messageId() + "|" + m.correlationId() + "|"
                + m.replyTo() + "|" + m.type() + "|" + m.groupId() + "|" + m.groupSequence() + "|" + properties
                + "|" + m.bodyType() + "|" + HexFormat.of().formatHex(m.body());
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
