package io.junction.core.store;

import io.junction.core.model.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The messages one destination holds beyond its memory limit, in arrival order, on disk under
 * {@code data/paging/<queue>/}: append-only page files of
 * {@code [length:int32][redelivered:int8][message]} entries, read back from the oldest as consumers make room. A page file is deleted once read.
 *
 * <p>Paging is not durability: persistent messages are also in the journal, and page files are
 * discarded at start-up (recovery pages again what does not fit in memory). Not thread-safe: the
 * owning queue's executor is its only user.
 */
public final class PageFile implements AutoCloseable {

    private static final long FILE_SIZE = 16L * 1024 * 1024;

    private final Path directory;
    private final ArrayDeque<Path> files = new ArrayDeque<>();
    private long nextFile;
    private FileChannel writer;
    private long written;
    private FileChannel reader;
    private long readPosition;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private long count;
    private long bytes;

    public PageFile(Path directory) {
        this.directory = directory;
    }

    /** Removes what an earlier run left (page files never outlive the broker process). */
    public static void clear(Path pagingRoot) throws IOException {
        if (!Files.exists(pagingRoot)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(pagingRoot)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(pagingRoot)) {
                    Files.delete(p);
                }
            }
        }
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Messages on disk not yet read back. */
    public long count() {
        return count;
    }

    /** Bytes of page files on disk. */
    public long diskBytes() {
        return bytes;
    }

    /** A message read back, with the redelivered mark it was paged with. */
    public record Paged(Message message, boolean redelivered) {
    }

    /** @param redelivered the message may have been delivered before (recovered after a restart) */
    public void append(Message message, boolean redelivered) throws IOException {
        ByteBuf encoded = Unpooled.buffer(128 + message.body().length);
        encoded.writeInt(0);
        encoded.writeByte(redelivered ? 1 : 0);
        MessageCodec.encode(message, encoded);
        encoded.setInt(0, encoded.readableBytes() - 4);
        if (writer == null || written >= FILE_SIZE) {
            rollWriter();
        }
        ByteBuffer out = encoded.nioBuffer();
        int length = out.remaining();
        while (out.hasRemaining()) {
            written += writer.write(out, written);
        }
        count++;
        bytes += length;
    }

    /** The oldest message on disk, or null when there is none. */
    public Paged next() throws IOException {
        if (count == 0) {
            return null;
        }
        ByteBuffer lengthBytes = read(4);
        if (lengthBytes == null) {
            return nextFileThenRead();
        }
        int length = lengthBytes.getInt();
        ByteBuffer entry = read(length);
        if (entry == null) {
            throw new IOException("page file in " + directory + " ends inside an entry");
        }
        count--;
        boolean redelivered = entry.get() != 0;
        Paged paged = new Paged(MessageCodec.decode(entry), redelivered);
        if (count == 0) {
            // Drained: the last file would otherwise stay until more messages arrive.
            close();
        }
        return paged;
    }

    private Paged nextFileThenRead() throws IOException {
        closeReader(true);
        if (files.isEmpty()) {
            throw new IOException("page files in " + directory + " hold fewer messages than written");
        }
        return next();
    }

    /** Exactly {@code n} bytes from the current read file, or null at its end. */
    private ByteBuffer read(int n) throws IOException {
        if (reader == null) {
            Path file = files.peekFirst();
            if (file == null) {
                return null;
            }
            // Writes go straight to the file (no buffer of ours), so reads see them at once.
            reader = FileChannel.open(file, StandardOpenOption.READ);
            readPosition = 0;
        }
        ByteBuffer target = n <= readBuffer.capacity() ? readBuffer.clear().limit(n) : ByteBuffer.allocate(n);
        while (target.hasRemaining()) {
            int r = reader.read(target, readPosition + target.position());
            if (r < 0) {
                if (target.position() == 0) {
                    return null;
                }
                throw new IOException("page file in " + directory + " ends inside an entry");
            }
        }
        readPosition += n;
        return target.flip();
    }

    private Path currentWriteFile() {
        return writer == null ? null : files.peekLast();
    }

    private void rollWriter() throws IOException {
        if (writer != null) {
            writer.close();
        }
        Files.createDirectories(directory);
        Path file = directory.resolve(String.format("page-%010d.dat", nextFile++));
        writer = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        written = 0;
        files.addLast(file);
    }

    private void closeReader(boolean delete) throws IOException {
        Path file = files.peekFirst();
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (delete && file != null) {
            if (file.equals(currentWriteFile())) {
                writer.close();
                writer = null;
            }
            bytes -= Files.size(file);
            Files.deleteIfExists(file);
            files.pollFirst();
        }
    }

    /** Closes and deletes every page file. */
    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (writer != null) {
            writer.close();
            writer = null;
        }
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        files.clear();
        count = 0;
        bytes = 0;
        Files.deleteIfExists(directory);
    }
}
