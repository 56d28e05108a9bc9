package io.junction.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Case 4: compaction throughput. Builds a journal in which most messages are acknowledged and a
 * few old ones stay live in every segment: persistent 1 KB sends, one in {@value #KEEP_EVERY} to
 * a queue nobody consumes and the rest to a queue that a consumer then drains (auto ack, one ACK
 * record each). From the start of the drain, watches the journal directory while the store's
 * background maintenance deletes dead segments and compacts sparse ones (carrying their live
 * records forward), until no segment has been deleted for {@value #QUIET_SECONDS} s.
 */
final class CompactionBench {

    static final int KEEP_EVERY = 20;
    private static final String KEEP = "/queue/bench.compaction.keep";
    private static final String DRAIN = "/queue/bench.compaction.drain";
    private static final int QUIET_SECONDS = 5;
    private static final int LIMIT_SECONDS = 120;

    /**
     * @param drainSeconds   from the start of the drain to the consumer's last message
     * @param seconds        from the start of the drain to the last segment deletion
     * @param recordsCarried records maintenance appended (journal records over the watch, less the
     *                       drain's ACKs)
     * @param liveBytes      message bodies still live (the kept queue)
     * @param timeline       the journal's disk usage in segments, once a second from the drain start
     */
    record Result(long messages, long segmentSize, int segmentsBefore, int segmentsAfter, int segmentsDeleted,
                  double drainSeconds, double seconds, long recordsCarried, long liveBytes, List<Long> timeline) {
    }

    private CompactionBench() {
    }

    static Result run(Path home, long messages) throws IOException, InterruptedException {
        try (EmbeddedJunction broker = EmbeddedJunction.start(home)) {
            PipelinedSender.send(broker.stompPort(), messages, i -> i % KEEP_EVERY == 0 ? KEEP : DRAIN);
            long kept = (messages + KEEP_EVERY - 1) / KEEP_EVERY;
            long drained = messages - kept;
            Path journal = broker.journalDirectory();
            Set<String> before = segments(journal);
            long recordsBefore = broker.store().journalRecords();

            long start = System.nanoTime();
            AtomicReference<IOException> drainFailure = new AtomicReference<>();
            AtomicLong drainEnd = new AtomicLong();
            Thread consumer = new Thread(() -> drain(broker.stompPort(), drained, drainFailure, drainEnd), "bench-drain");
            consumer.start();
            Set<String> seen = new HashSet<>(before);
            List<Long> timeline = new ArrayList<>();
            long lastDeletion = start;
            int deleted = 0;
            Set<String> now = before;
            for (int tick = 0; consumer.isAlive() || System.nanoTime() - lastDeletion < QUIET_SECONDS * 1_000_000_000L;
                 tick++) {
                if (System.nanoTime() - start > LIMIT_SECONDS * 1_000_000_000L) {
                    throw new IOException("compaction still deleting segments after " + LIMIT_SECONDS + " s");
                }
                if (tick % 10 == 0) {
                    timeline.add(broker.store().diskUsage() / broker.segmentSize());
                }
                Thread.sleep(100);
                now = segments(journal);
                seen.addAll(now);
                int gone = seen.size() - now.size();
                if (gone > deleted) {
                    deleted = gone;
                    lastDeletion = System.nanoTime();
                }
            }
            consumer.join();
            if (drainFailure.get() != null) {
                throw drainFailure.get();
            }
            long carried = broker.store().journalRecords() - recordsBefore - drained;
            return new Result(messages, broker.segmentSize(), before.size(), now.size(), deleted,
                    (drainEnd.get() - start) / 1e9, (lastDeletion - start) / 1e9, carried,
                    kept * SendLoad.BODY.length, timeline);
        }
    }

    private static void drain(int port, long count, AtomicReference<IOException> failure, AtomicLong end) {
        try {
            Drain.receive(port, DRAIN, count);
            end.set(System.nanoTime());
        } catch (IOException e) {
            failure.set(e);
        }
    }

    private static Set<String> segments(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg")).toList();
            return new HashSet<>(names);
        }
    }
}
