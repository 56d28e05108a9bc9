package io.junction.core.store.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of journal segments.
 *
 * <pre>
 * segment  = header record* zero*
 * header   = magic:int32 "JNLJ" | version:int16 | reserved:int16 | segmentId:int64      (16 bytes)
 * record   = length:int32 | type:int8 | crc:int32 | payload:byte[length]
 * </pre>
 *
 * All integers are big-endian. {@code crc} is CRC-32C over the type byte and the payload. Type 0
 * is never written, so a zero length and type mark the end of the data (segments are
 * zero-filled when created).
 */
final class RecordFormat {

    static final int MAGIC = 0x4A4E4C4A;
    static final short VERSION = 1;
    static final int SEGMENT_HEADER_SIZE = 16;
    static final int RECORD_HEADER_SIZE = 9;

    private RecordFormat() {
    }

    static int crc(byte type, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    static void writeSegmentHeader(ByteBuffer target, long segmentId) {
        target.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(segmentId);
    }

    /** Appends one record to {@code target}; the payload's position is left unchanged. */
    static void writeRecord(ByteBuffer target, byte type, ByteBuffer payload) {
        target.putInt(payload.remaining()).put(type).putInt(crc(type, payload)).put(payload.duplicate());
    }
}
