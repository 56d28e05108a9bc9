package io.junction.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Case 1: the disk's raw rate of small synchronous appends, the physical limit of a persistent
 * send that waits for its fsync. Appends 4 KB at a time to a preallocated file (as the journal
 * writes into preallocated segments), forcing the data (not the metadata) after each append.
 */
public final class FsyncProbe {

    private static final int BLOCK = 4096;
    private static final int FILE_SIZE = 64 * 1024 * 1024;

    private FsyncProbe() {
    }

    /**
     * The probe alone, for the load generator's comparison run ({@code bench/compare.sh}): prints the
     * forces per second in a directory, as a whole number.
     * <pre>java -cp ... io.junction.bench.FsyncProbe DIRECTORY SECONDS</pre>
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FsyncProbe DIRECTORY SECONDS");
            System.exit(2);
        }
        System.out.printf("%.0f%n", measure(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1]))));
    }

    /** @return forces per second */
    static double measure(Path directory, Duration duration) throws IOException {
        Path file = directory.resolve("fsync-probe.dat");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            preallocate(channel);
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            while (block.hasRemaining()) {
                block.put((byte) 'x');
            }
            long forces = 0;
            long position = 0;
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long now = start;
            while (now < end) {
                block.rewind();
                while (block.hasRemaining()) {
                    channel.write(block, position + block.position());
                }
                channel.force(false);
                forces++;
                position = (position + BLOCK) % FILE_SIZE;
                now = System.nanoTime();
            }
            return forces / ((now - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void preallocate(FileChannel channel) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        for (long at = 0; at < FILE_SIZE; at += zeros.capacity()) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                channel.write(zeros, at + zeros.position());
            }
        }
        channel.force(true);
    }
}
