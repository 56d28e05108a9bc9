package io.junction.core.boot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <data>/lock}, held while the broker runs, so that a second broker
 * pointed at the same data directory refuses to start instead of corrupting it. The OS releases
 * the lock when the process dies, so a crash leaves nothing to clean up.
 */
final class DataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDirectory) {
        Path file = dataDirectory.resolve("lock");
        try {
            Files.createDirectories(dataDirectory);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("data directory " + dataDirectory
                        + " is in use by another broker (it holds the lock on " + file + ")");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock data directory " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The process is stopping; the OS drops the lock with the file handle anyway.
        }
    }
}
