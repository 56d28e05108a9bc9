package io.junction.core.store.journal;

/**
 * Work for the journal's writer thread. Tasks run one after another in submission order; those
 * taken together form one batch, forced to disk once (group commit).
 */
public interface JournalTask {

    /**
     * Appends this task's records. Runs on the writer thread; a RuntimeException fails this task
     * alone, and must be thrown before anything was appended.
     */
    void write(Appender appender);

    /**
     * Called on the writer thread once the batch is durable (per the fsync policy), with null, or
     * with the failure when the records could not be written; then none of the batch's records
     * count as written.
     */
    void done(Throwable failure);

    /**
     * An exclusive task is written in a batch of its own, after every earlier task is done: for
     * work (compaction) that must see the effects of all earlier tasks and none of later ones.
     */
    default boolean exclusive() {
        return false;
    }

    /** Appends records for the task being written. */
    interface Appender {

        /** Appends one record; returns its location. The payload's position is left unchanged. */
        long append(byte type, java.nio.ByteBuffer payload);

        /** Makes sure the next {@code bytes} of records land in one segment (for atomic groups). */
        void reserve(int bytes);

        /** Bytes one record with this payload size takes. */
        int recordSize(int payloadSize);
    }
}
