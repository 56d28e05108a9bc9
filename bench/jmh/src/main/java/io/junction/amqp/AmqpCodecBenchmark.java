package io.junction.amqp;

import io.junction.bench.jmh.Samples;
import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import org.apache.qpid.proton.message.Message;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A whole AMQP 1.0 message (header, properties, message annotations, three application properties
 * and a Data body, as Qpid JMS sends a BytesMessage), with proton-j as the module uses it. Decode:
 * {@code Message.Factory.create()} and {@code decode} of the transfer's bytes, as
 * {@code AmqpConnection} takes an incoming message. Encode: {@link AmqpCodec#encodeToBuffer}, as
 * {@code ConsumerLink} writes a delivery, of the message {@link AmqpMessages#toAmqp} makes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AmqpCodecBenchmark {

    @Param({"128", "4096"})
    public int payloadSize;

    private Message message;
    private byte[] encoded;

    @Setup
    public void setUp() {
        message = AmqpMessages.toAmqp(Samples.coreMessage(payloadSize, BodyType.BYTES),
                Destination.queue(Samples.QUEUE), 0, 1_700_000_000_000L);
        encoded = AmqpCodec.encode(message, payloadSize);
        if (decodeMessage().getApplicationProperties().getValue().size() != 3) {
            throw new IllegalStateException("not decoded as encoded");
        }
    }

    @Benchmark
    public Message decodeMessage() {
        Message amqp = Message.Factory.create();
        amqp.decode(encoded, 0, encoded.length);
        return amqp;
    }

    @Benchmark
    public ByteBuffer encodeMessage() {
        return AmqpCodec.encodeToBuffer(message, payloadSize);
    }
}
