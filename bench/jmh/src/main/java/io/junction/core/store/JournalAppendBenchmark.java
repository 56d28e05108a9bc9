package io.junction.core.store;

import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.store.journal.CorruptJournalException;
import io.junction.core.store.journal.FsyncPolicy;
import io.junction.core.store.journal.JournalFiles;
import io.junction.core.store.journal.JournalOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Persistent 1 KB messages stored by the {@link MessageStore} with {@code fsync: always} and the
 * broker's journal options, by 1 or 16 producer threads, each waiting for its message's future
 * (so for the force that covers it) before the next: appends per second with group commit. The
 * store lives in a temporary directory, deleted at teardown. Bounded by the disk's fsync rate
 * (times the records a force carries), not by the CPU: see bench/README.md. Short iterations on
 * purpose: nothing is acknowledged, so the journal grows by the messages stored.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class JournalAppendBenchmark {

    private static final int BODY_SIZE = 1024;
    private static final int SEGMENT_SIZE = 32 * 1024 * 1024;
    private static final long[] QUEUE = {1};

    private Path directory;
    private MessageStore store;
    private final AtomicLong ids = new AtomicLong();
    private final byte[] body = new byte[BODY_SIZE];

    @Setup
    public void open() throws IOException, CorruptJournalException {
        directory = Files.createTempDirectory("junction-jmh-journal");
        // As JunctionServer opens it with the default store settings.
        store = MessageStore.open(directory, new JournalOptions(SEGMENT_SIZE, FsyncPolicy.ALWAYS,
                Duration.ofMillis(100), 1024 * 1024), JournalFiles.DISK, 50);
        store.addQueue(new QueueDefinition(QUEUE[0], "bench", null, null)).join();
    }

    @TearDown
    public void delete() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void producers01() throws InterruptedException, ExecutionException {
        append();
    }

    @Benchmark
    @Threads(16)
    public void producers16() throws InterruptedException, ExecutionException {
        append();
    }

    private void append() throws InterruptedException, ExecutionException {
        Message message = Message.builder(Destination.queue("bench")).persistent(true)
                .body(BodyType.BYTES, body).build();
        message.assignBrokerId(ids.incrementAndGet());
        store.addMessage(message, QUEUE).get();
    }
}
