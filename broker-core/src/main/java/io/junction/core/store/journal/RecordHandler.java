package io.junction.core.store.journal;

import java.nio.ByteBuffer;

/** Receives records as the journal is replayed or a segment is read, in journal order. */
@FunctionalInterface
public interface RecordHandler {

    /**
     * @param location where the record is ({@link Locations})
     * @param payload  the record's payload, valid only during this call
     */
    void record(long location, byte type, ByteBuffer payload);
}
