package io.junction.core.store.journal;

import java.nio.file.Path;

/**
 * A damaged record that is not the torn tail of the newest segment: the broker must not start
 * on it, since records after it would be replayed without the ones it held.
 */
public final class CorruptJournalException extends Exception {

    private final Path file;
    private final long offset;

    public CorruptJournalException(Path file, long offset, String reason) {
        super("corrupt journal record in " + file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
