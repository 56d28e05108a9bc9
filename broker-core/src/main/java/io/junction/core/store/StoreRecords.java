package io.junction.core.store;

import io.junction.core.model.Message;
import io.junction.core.schedule.CronExpression;
import io.junction.core.schedule.Schedule;
import io.junction.core.schedule.ScheduleState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * Payload layouts of the store's journal records (big-endian; strings as in {@link MessageCodec}).
 *
 * <pre>
 * QUEUE_ADD     id:int64 | name | topic | selector
 * QUEUE_REMOVE  id:int64
 * MESSAGE       txId:int64 | flags:int8 (1 = compaction copy) | queueCount:int32 | queueId:int64* | message
 * ACK           txId:int64 | queueId:int64 | messageId:int64 | targetSegment:int64
 * TX_COMMIT     txId:int64
 * STATE_PUT     namespace | key | valueLength:int32 | value
 * STATE_REMOVE  namespace | key | targetSegment:int64
 * SCHEDULE      txId:int64 | flags:int8 (1 = compaction copy) | delay:int64 | period:int64 | repeat:int32
 *               | cron | state | message
 * SCHEDULE_STATE scheduleId:int64 | state
 * SCHEDULE_DONE scheduleId:int64 | targetSegment:int64
 * state = nextDelivery:int64 | seriesStart:int64 | delivered:int32 | version:int64
 * </pre>
 *
 * {@code txId} 0 means "not in a transaction". {@code targetSegment} names the segment holding the
 * record being cancelled, so compaction knows whether the cancel is still needed. A STATE_PUT that
 * replaces a value held in an older segment is preceded by a STATE_REMOVE of that value, so that each
 * older value stays cancelled for as long as its segment exists. A schedule's id is the broker id
 * of its message. A compaction copy of a SCHEDULE carries the state current when it was copied,
 * so replay takes the state with the highest version, whatever order the records are in.
 */
final class StoreRecords {

    static final byte COPY = 1;

    private StoreRecords() {
    }

    static ByteBuffer queueAdd(QueueDefinition q) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeLong(q.id());
        MessageCodec.writeString(out, q.name());
        MessageCodec.writeString(out, q.topic());
        MessageCodec.writeString(out, q.selector());
        out.writeInt(q.maxMessages());
        out.writeBoolean(q.persistentOnlyWhileInactive());
        MessageCodec.writeString(out, q.boundGroup());
        return out.nioBuffer();
    }

    static QueueDefinition readQueueAdd(ByteBuffer in) {
        long id = in.getLong();
        String name = MessageCodec.readString(in);
        String topic = MessageCodec.readString(in);
        String selector = MessageCodec.readString(in);
        // Journals written before these fields existed end the record after the selector.
        int maxMessages = in.remaining() >= Integer.BYTES ? in.getInt() : 0;
        boolean persistentOnlyWhileInactive = in.hasRemaining() && in.get() != 0;
        String boundGroup = in.hasRemaining() ? MessageCodec.readString(in) : null;
        return new QueueDefinition(id, name, topic, selector, maxMessages, persistentOnlyWhileInactive, boundGroup);
    }

    static ByteBuffer longs(long... values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * Long.BYTES);
        for (long v : values) {
            out.putLong(v);
        }
        return out.flip();
    }

    /** The encoded message, to be framed by {@link #message(long, byte, long[], ByteBuffer)}. */
    static ByteBuffer encode(Message message) {
        ByteBuf out = Unpooled.buffer(128 + message.body().length);
        MessageCodec.encode(message, out);
        return out.nioBuffer();
    }

    static ByteBuffer message(long txId, byte flags, long[] queueIds, ByteBuffer encodedMessage) {
        ByteBuffer out = ByteBuffer.allocate(8 + 1 + 4 + queueIds.length * 8 + encodedMessage.remaining());
        out.putLong(txId).put(flags).putInt(queueIds.length);
        for (long q : queueIds) {
            out.putLong(q);
        }
        out.put(encodedMessage.duplicate());
        return out.flip();
    }

    /** A MESSAGE payload taken apart; {@code message} is positioned at the encoded message. */
    record MessageRecord(long txId, byte flags, long[] queueIds, ByteBuffer message) {
        long messageId() {
            // The encoded message starts with its format byte, then the broker id.
            return message.getLong(message.position() + 1);
        }
    }

    static MessageRecord readMessage(ByteBuffer in) {
        long txId = in.getLong();
        byte flags = in.get();
        long[] queues = new long[in.getInt()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = in.getLong();
        }
        return new MessageRecord(txId, flags, queues, in.slice());
    }

    static ByteBuffer statePut(String namespace, String key, byte[] value) {
        ByteBuf out = Unpooled.buffer(32 + value.length);
        MessageCodec.writeString(out, namespace);
        MessageCodec.writeString(out, key);
        out.writeInt(value.length).writeBytes(value);
        return out.nioBuffer();
    }

    static ByteBuffer stateRemove(String namespace, String key, long targetSegment) {
        ByteBuf out = Unpooled.buffer(32);
        MessageCodec.writeString(out, namespace);
        MessageCodec.writeString(out, key);
        out.writeLong(targetSegment);
        return out.nioBuffer();
    }

    static ByteBuffer schedule(long txId, byte flags, Schedule schedule, ScheduleState state, ByteBuffer encodedMessage) {
        ByteBuf out = Unpooled.buffer(96 + encodedMessage.remaining());
        out.writeLong(txId).writeByte(flags).writeLong(schedule.delay()).writeLong(schedule.period())
                .writeInt(schedule.repeat());
        MessageCodec.writeString(out, schedule.cron() == null ? null : schedule.cron().text());
        writeState(out, state);
        out.writeBytes(encodedMessage.duplicate());
        return out.nioBuffer();
    }

    /** A SCHEDULE payload taken apart; {@code message} is positioned at the encoded message. */
    record ScheduleRecord(long txId, byte flags, Schedule schedule, ScheduleState state, ByteBuffer message) {
        long scheduleId() {
            return message.getLong(message.position() + 1);
        }
    }

    static ScheduleRecord readSchedule(ByteBuffer in) {
        long txId = in.getLong();
        byte flags = in.get();
        long delay = in.getLong();
        long period = in.getLong();
        int repeat = in.getInt();
        String cron = MessageCodec.readString(in);
        Schedule schedule = new Schedule(delay, period, repeat, cron == null ? null : CronExpression.parse(cron));
        return new ScheduleRecord(txId, flags, schedule, readState(in), in.slice());
    }

    static ByteBuffer scheduleState(long scheduleId, ScheduleState state) {
        ByteBuf out = Unpooled.buffer(8 + 28);
        out.writeLong(scheduleId);
        writeState(out, state);
        return out.nioBuffer();
    }

    static ScheduleState readState(ByteBuffer in) {
        return new ScheduleState(in.getLong(), in.getLong(), in.getInt(), in.getLong());
    }

    private static void writeState(ByteBuf out, ScheduleState state) {
        out.writeLong(state.nextDelivery()).writeLong(state.seriesStart()).writeInt(state.delivered())
                .writeLong(state.version());
    }
}
