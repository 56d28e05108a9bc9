package io.junction.openwire;

import io.junction.bench.jmh.Samples;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.MessageDispatch;
import org.apache.activemq.command.SessionId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.DataInputStream;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ActiveMQTextMessage} (three properties) through activemq-client's
 * {@code OpenWireFormat} as {@code OpenWireConnection} uses it. Decode: {@code unmarshal} of a
 * producer's send from the frame's bytes. Encode: {@code marshal} of the {@link MessageDispatch}
 * that carries the message to a consumer, straight into a pooled buffer. The message to encode is a
 * fresh {@code copy()} of one never marshalled: marshalling keeps the encoded text and properties
 * in the message, and the broker builds a new message for every dispatch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpenWireCodecBenchmark {

    @Param({"128", "4096"})
    public int payloadSize;

    private OpenWireBenchFormats formats;
    private ByteBuf sent;
    private ActiveMQTextMessage toDispatch;
    private final ConsumerId consumer = new ConsumerId(new SessionId(new ConnectionId("ID:bench-consumer-1"), 1), 1);
    private final ActiveMQQueue queue = new ActiveMQQueue(Samples.QUEUE);

    @Setup
    public void setUp() throws Exception {
        formats = new OpenWireBenchFormats();
        sent = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(formats.sentBytes(Samples.text(payloadSize))));
        toDispatch = formats.textMessage(Samples.text(payloadSize));
        if (!(decodeSend() instanceof ActiveMQTextMessage text) || text.getText().length() != payloadSize) {
            throw new IllegalStateException("not decoded as sent");
        }
    }

    @Benchmark
    public Object decodeSend() throws Exception {
        return formats.broker.unmarshal(new DataInputStream(new ByteBufInputStream(sent.duplicate())));
    }

    @Benchmark
    public int encodeDispatch() throws Exception {
        MessageDispatch dispatch = new MessageDispatch();
        dispatch.setConsumerId(consumer);
        dispatch.setDestination(queue);
        dispatch.setMessage(toDispatch.copy());
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.ioBuffer();
        try {
            formats.broker.marshal(dispatch, new ByteBufOutputStream(buffer));
            return buffer.readableBytes();
        } finally {
            buffer.release();
        }
    }
}
