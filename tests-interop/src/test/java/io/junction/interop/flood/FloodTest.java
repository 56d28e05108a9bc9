package io.junction.interop.flood;

import io.junction.interop.support.BrokerProcess;
import io.junction.interop.support.JunctionCommand.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flood test of issue 3 (design section 4, "memory is bounded"): the real {@code bin/junction
 * run}, started with {@code JAVA_OPTS="-Xmx256m"}, takes 1,000,000 messages of 1 KB (about 1 GB,
 * four times its heap) into a queue nobody consumes, from a producer that writes SEND frames in
 * large batches without ever waiting, as a flood does. The broker must not fail: past the queue's
 * {@code memoryLimit} (32MB) and the broker's {@code maxBrokerMemory} (auto: 64MB with this heap)
 * it pages the messages to {@code <data>/paging}, and it slows the producer through TCP
 * back-pressure rather than buffering what it cannot take. Then one consumer drains all of them,
 * and must get each exactly once, in the order sent.
 *
 * <p>The million messages are <em>non-persistent</em> ({@code persistent:false}), for speed: they
 * never touch the journal, only the page files, so the test measures paging and flow control
 * rather than the disk's fsync rate. A second, smaller test does the same with 200,000 persistent
 * messages (journal with the shipped {@code fsync: always} and paging at once).
 *
 * <p>How the heap is watched: the broker JVM logs every collection ({@code -Xlog:gc:file=...}),
 * checked after the flood and again after the drain. The heap left after each collection (what
 * the broker really holds) must stay below 90 % of the 256 MB maximum, with no full collection
 * forced by an exhausted heap; no {@code OutOfMemoryError} may occur
 * ({@code -XX:+HeapDumpOnOutOfMemoryError} into the temporary directory, kept as
 * {@code target/flood-broker-oom.hprof} if written; {@code -XX:+ExitOnOutOfMemoryError} so that
 * the broker does not limp on); and the broker must still be running after the flood.
 *
 * <p>Each test is bounded: it fails with the phase it was in once it has run for 4 minutes (a
 * watchdog closes the sockets, since a producer blocked by back-pressure cannot be interrupted).
 * Finally {@code bin/junction stop} stops the broker cleanly (exit 0, pid file removed) and no
 * process is left behind.
 */
class FloodTest {

    private static final long HEAP_BYTES = 256L * 1024 * 1024;
    /** The heap left after any collection must stay below this share of the maximum. */
    private static final double HEAP_HEADROOM = 0.9;
    private static final int BODY_SIZE = 1024;
    private static final Duration BUDGET = Duration.ofMinutes(4);
    /** The drain fails if nothing arrives for this long (messages missing, or the broker stuck). */
    private static final Duration STALL = Duration.ofSeconds(30);
    /** After the last expected message, how long the drain waits for anything more (duplicates). */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int PREFETCH = 5000;

    @RegisterExtension
    final BrokerProcess broker = BrokerProcess.builder()
            .tempDirectory("junction-flood-")
            .commandTimeout(Duration.ofSeconds(90))
            .cleanup(FloodTest::keepHeapDump)
            .build();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void millionNonPersistentMessagesPageToDiskAndDrainInOrder() throws Exception {
        flood("flood.nonpersistent", 1_000_000, false);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void persistentFloodIsJournaledPagedAndDrainsInOrder() throws Exception {
        flood("flood.persistent", 200_000, true);
    }

    private void flood(String queue, long count, boolean persistent) throws Exception {
        String destination = "/queue/" + queue;
        try (Deadline deadline = new Deadline(BUDGET)) {
            broker.start(String.join(" ",
                    "-Xmx256m",
                    "-XX:+HeapDumpOnOutOfMemoryError",
                    "-XX:HeapDumpPath=" + heapDump(),
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Xlog:gc:file=" + gcLog()));
            long started = System.nanoTime();

            // 1. The flood, with nobody consuming.
            FloodProducer.Sent sent;
            try {
                sent = FloodProducer.flood(broker.port(), destination, count, BODY_SIZE, persistent, deadline);
            } catch (IOException | AssertionError e) {
                throw new AssertionError((ranOutOfMemory() ? "the broker ran out of heap (OutOfMemoryError) during "
                        + "the flood; " : "the flood failed: ") + e.getMessage() + "\n" + diagnostics(), e);
            }
            deadline.check("the flood");
            assertAlive("after the flood");
            GcLog afterFlood = assertHeapBounded("after the flood of " + count + " messages");
            PageFiles paged = PageFiles.in(pagingDirectory());
            assertTrue(paged.files() > 0, "after " + count + " messages of " + BODY_SIZE + " bytes with no consumer, "
                    + pagingDirectory() + " holds no page file\n" + diagnostics());

            // 2. One consumer drains them all, in order.
            FloodConsumer.Drained drained;
            try (FloodConsumer consumer = FloodConsumer.subscribe(broker.port(), destination, "auto", PREFETCH)) {
                drained = consumer.drain(count, BODY_SIZE, STALL, QUIET, deadline);
                assertTrue(drained.complete(), "the drain of " + queue + ": " + drained + "\n" + diagnostics());
                consumer.disconnect();
            }
            PageFiles pagedAfterDrain = PageFiles.in(pagingDirectory());
            deadline.check("the drain");
            assertAlive("after the drain");

            // 3. The heap stayed bounded all along.
            GcLog gc = assertHeapBounded("after the drain");

            // 4. A clean stop through the script, and nothing left running.
            long stopping = System.nanoTime();
            Result stop = broker.junction("stop", "--timeout", "60");
            assertEquals(0, stop.exitCode(), "bin/junction stop: " + stop.output() + "\n" + broker.outputTail(30));
            Process process = broker.process();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the broker still runs after bin/junction stop");
            assertEquals(0, process.exitValue(), "exit code of bin/junction run after a clean stop\n"
                    + broker.outputTail(30));
            assertFalse(Files.exists(broker.pidFile()), "the pid file outlived a clean stop");
            List<ProcessHandle> left = process.descendants().filter(ProcessHandle::isAlive).toList();
            assertTrue(left.isEmpty(), "processes left behind by the broker: " + left);
            long stopped = System.nanoTime();
            deadline.check("the stop");

            System.out.printf("FloodTest %s: %d %s messages of %d B; flood %d ms (%.0f msg/s, writing %d ms), "
                            + "page files after the flood: %s; drain %d ms (%.0f msg/s), page files after: %s; "
                            + "stop %d ms; whole test %d ms (broker up to stopped %d ms)%n"
                            + "  heap after the flood: %s%n  heap overall: %s%n",
                    queue, count, persistent ? "persistent" : "non-persistent", BODY_SIZE,
                    sent.untilReceipt().toMillis(), sent.messagesPerSecond(), sent.writing().toMillis(), paged,
                    drained.duration().toMillis(), drained.messagesPerSecond(), pagedAfterDrain,
                    (stopped - stopping) / 1_000_000, deadline.elapsed().toMillis(),
                    (stopped - started) / 1_000_000, afterFlood, gc);
        }
    }

    /**
     * The broker's heap, as its GC log shows it so far, stayed clear of its maximum: no
     * OutOfMemoryError, no full collection forced by an exhausted heap, and what remained after each
     * collection below {@link #HEAP_HEADROOM} of {@code -Xmx}. (Below the maximum itself would let
     * a broker pass that sat at 254 of 256 MB, thrashing in full collections, one allocation away
     * from failing: the flood without flow control does exactly that, or dies, from run to run.)
     */
    private GcLog assertHeapBounded(String when) throws IOException {
        GcLog gc = GcLog.read(gcLog());
        assertFalse(ranOutOfMemory(), "the broker ran out of heap (OutOfMemoryError) " + when + "\n" + diagnostics());
        assertTrue(gc.collections() > 0, "the broker's GC log " + gcLog() + " shows no collection " + when
                + "; cannot tell what its heap did\n" + diagnostics());
        assertEquals(0, gc.fullCollections(), "the broker's heap was exhausted " + when + ": the JVM made "
                + gc.fullCollections() + " full collections to find room; " + gc + "\n" + diagnostics());
        long bound = (long) (HEAP_BYTES * HEAP_HEADROOM);
        assertTrue(gc.maxAfterBytes() < bound, "the broker's heap after a collection reached "
                + GcLog.mb(gc.maxAfterBytes()) + " " + when + ", over " + GcLog.mb(bound) + " (" + (int) (HEAP_HEADROOM * 100)
                + " % of its " + GcLog.mb(HEAP_BYTES) + " maximum); " + gc + "\n" + diagnostics());
        return gc;
    }

    private boolean ranOutOfMemory() {
        try {
            return Files.exists(heapDump()) || broker.output().contains("OutOfMemoryError")
                    || GcLog.read(gcLog()).outOfMemory();
        } catch (IOException e) {
            return false;
        }
    }

    private void assertAlive(String when) throws IOException {
        assertTrue(broker.process().isAlive(), "the broker died " + when + "\n" + diagnostics());
        assertEquals(OptionalLong.of(broker.process().pid()), broker.pidInPidFile(),
                "pid file " + when + "\n" + diagnostics());
    }

    /** What to show when something failed: the broker's state, its heap and the end of its output. */
    private String diagnostics() {
        StringBuilder text = new StringBuilder();
        Process process = broker.process();
        text.append("broker ").append(process == null ? "not started"
                : process.isAlive() ? "running (pid " + process.pid() + ")" : "exited with " + process.exitValue());
        try {
            text.append("\nGC: ").append(GcLog.read(gcLog()));
            text.append("\npage files: ").append(PageFiles.in(pagingDirectory()));
        } catch (IOException e) {
            text.append("\n(").append(e).append(')');
        }
        if (Files.exists(heapDump())) {
            text.append("\nheap dump written: ").append(heapDump());
        }
        return text.append("\nbroker output (end):\n").append(broker.outputTail(30)).toString();
    }

    /** The broker JVM's GC log ({@code -Xlog:gc:file=...}), in the broker's scratch directory. */
    private Path gcLog() {
        return broker.directory().resolve("gc.log");
    }

    /** Where the broker JVM dumps its heap on an OutOfMemoryError, in the broker's scratch directory. */
    private Path heapDump() {
        return heapDump(broker);
    }

    private static Path heapDump(BrokerProcess broker) {
        return broker.directory().resolve("broker-oom.hprof");
    }

    private Path pagingDirectory() {
        return broker.dataDirectory().resolve("paging");
    }

    /**
     * A heap dump is the evidence of an OutOfMemoryError: kept once the broker is gone (the rest of
     * its scratch directory, page files included, can be a gigabyte and goes).
     */
    private static void keepHeapDump(BrokerProcess broker) throws IOException {
        Path heapDump = heapDump(broker);
        if (Files.exists(heapDump)) {
            Path kept = Path.of("target").toAbsolutePath().resolve("flood-broker-oom.hprof");
            Files.createDirectories(kept.getParent());
            Files.move(heapDump, kept, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("FloodTest: the broker's heap dump is kept in " + kept);
        }
    }

    /** The page files under a directory, counted and summed. */
    record PageFiles(long files, long bytes) {

        static PageFiles in(Path directory) throws IOException {
            if (!Files.exists(directory)) {
                return new PageFiles(0, 0);
            }
            long files = 0;
            long bytes = 0;
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    files++;
                    try {
                        bytes += Files.size(path);
                    } catch (IOException gone) {
                        // read back and deleted meanwhile
                    }
                }
            } catch (java.io.UncheckedIOException raced) {
                // a directory changed while walked; good enough for a count
            }
            return new PageFiles(files, bytes);
        }

        @Override
        public String toString() {
            return files + " files, " + GcLog.mb(bytes);
        }
    }
}
