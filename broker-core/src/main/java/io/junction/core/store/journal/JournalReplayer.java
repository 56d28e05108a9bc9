package io.junction.core.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads one segment's records in order, checking each record's length, type and CRC.
 *
 * <p>A bad record, or data after a zero record header, ends the replay of a segment. In the newest
 * segment it is a torn tail when nothing follows it beyond the largest single write the writer makes
 * (the bytes of one write may reach the disk out of order, so the rest of it may be present or not):
 * the tail is zeroed and logged. Anywhere else it is corruption, and the broker must not start.
 */
final class JournalReplayer {

    private final JournalFiles files;
    private final JournalOptions options;
    private ByteBuffer buffer;

    JournalReplayer(JournalFiles files, JournalOptions options) {
        this.files = files;
        this.options = options;
    }

    /** @param dataEnd offset just past the last good record */
    record Result(long records, int dataEnd, int truncatedBytes) {
    }

    Result replay(long segmentId, Path path, boolean newest, RecordHandler handler)
            throws IOException, CorruptJournalException {
        try (SegmentFile file = files.open(path)) {
            int size = (int) Math.min(file.size(), options.segmentSize());
            ByteBuffer data = readAll(file, size);
            if (!validHeader(data, segmentId)) {
                if (newest && isZero(data, 0, size)) {
                    // Created but never written to: the broker stopped before the header went out.
                    writeHeader(file, segmentId);
                    return new Result(0, RecordFormat.SEGMENT_HEADER_SIZE, 0);
                }
                throw new CorruptJournalException(path, 0, "bad segment header (expected segment " + segmentId + ")");
            }
            long records = 0;
            int position = RecordFormat.SEGMENT_HEADER_SIZE;
            while (position + RecordFormat.RECORD_HEADER_SIZE <= size) {
                int length = data.getInt(position);
                byte type = data.get(position + 4);
                int crc = data.getInt(position + 5);
                if (length == 0 && type == 0 && crc == 0) {
                    break;
                }
                String problem = check(data, position, length, type, crc, size);
                if (problem != null) {
                    return badRecord(file, path, data, position, size, newest, problem, records);
                }
                ByteBuffer payload = data.duplicate().position(position + RecordFormat.RECORD_HEADER_SIZE)
                        .limit(position + RecordFormat.RECORD_HEADER_SIZE + length).slice();
                handler.record(Locations.of(segmentId, position), type, payload);
                records++;
                position += RecordFormat.RECORD_HEADER_SIZE + length;
            }
            if (lastNonZero(data, position, size) >= position) {
                // A zeroed header with data after it: a lost write, not the end of the records.
                return badRecord(file, path, data, position, size, newest, "data after the end of the records",
                        records);
            }
            return new Result(records, position, 0);
        }
    }

    private static String check(ByteBuffer data, int position, int length, byte type, int crc, int size) {
        if (type == 0) {
            return "record type 0";
        }
        if (length < 0 || length > size - position - RecordFormat.RECORD_HEADER_SIZE) {
            return "record length " + length + " runs past the end of the segment";
        }
        ByteBuffer payload = data.duplicate().position(position + RecordFormat.RECORD_HEADER_SIZE)
                .limit(position + RecordFormat.RECORD_HEADER_SIZE + length);
        if (RecordFormat.crc(type, payload) != crc) {
            return "checksum mismatch";
        }
        return null;
    }

    private Result badRecord(SegmentFile file, Path path, ByteBuffer data, int position, int size, boolean newest,
                             String problem, long records) throws IOException, CorruptJournalException {
        int lastNonZero = lastNonZero(data, position, size);
        // The writer forces before each write (policy always), so a crash tears one write: a batch
        // buffer, or a record larger than that, written on its own (then its header gives its size).
        int length = position + RecordFormat.RECORD_HEADER_SIZE <= size ? data.getInt(position) : 0;
        boolean fits = length > 0 && length <= size - position - RecordFormat.RECORD_HEADER_SIZE;
        long windowEnd = (long) position
                + Math.max(options.maxBatchBytes(), fits ? RecordFormat.RECORD_HEADER_SIZE + length : 0);
        if (!newest || lastNonZero >= windowEnd) {
            throw new CorruptJournalException(path, position, problem
                    + (newest ? "; records follow it, so it is not a torn tail" : "; it is not in the newest segment"));
        }
        int dropped = lastNonZero + 1 - position;
        ByteBuffer zeros = ByteBuffer.allocate(dropped);
        file.write(zeros, position);
        file.force();
        Journal.logTruncation(path, position, dropped, problem);
        return new Result(records, position, dropped);
    }

    private ByteBuffer readAll(SegmentFile file, int size) throws IOException {
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(size);
        }
        ByteBuffer data = buffer.duplicate().clear().limit(size);
        int position = 0;
        while (data.hasRemaining()) {
            int read = file.read(data, position);
            if (read < 0) {
                break;
            }
            position += read;
        }
        return data.flip().slice();
    }

    private static boolean validHeader(ByteBuffer data, long segmentId) {
        return data.limit() >= RecordFormat.SEGMENT_HEADER_SIZE
                && data.getInt(0) == RecordFormat.MAGIC
                && data.getShort(4) == RecordFormat.VERSION
                && data.getLong(8) == segmentId;
    }

    private static void writeHeader(SegmentFile file, long segmentId) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_SIZE);
        RecordFormat.writeSegmentHeader(header, segmentId);
        file.write(header.flip(), 0);
        file.force();
    }

    private static boolean isZero(ByteBuffer data, int from, int to) {
        return lastNonZero(data, from, to) < from;
    }

    /** The offset of the last non-zero byte in [from, to), or from - 1 if there is none. */
    private static int lastNonZero(ByteBuffer data, int from, int to) {
        int i = to;
        while (i - 8 >= from && data.getLong(i - 8) == 0) {
            i -= 8;
        }
        while (i > from && data.get(i - 1) == 0) {
            i--;
        }
        return i - 1;
    }
}
