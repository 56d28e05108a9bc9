package io.junction.stomp;

import io.junction.bench.jmh.Outbound;
import io.junction.bench.jmh.Samples;
import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.spi.Delivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.stomp.StompFrame;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * STOMP 1.2 frames through the module's handlers, in an {@link EmbeddedChannel}. Decode: a
 * persistent SEND with a receipt and a content-length, as a client sends it, through
 * {@link StompFrameDecoder} and {@link StompFrameAggregator} (as {@code StompProtocolModule.install}
 * adds them, with the default limits) into one frame. Encode: the MESSAGE frame the broker
 * delivers for that message ({@link StompMessages#toMessageFrame}, built once and reused) through
 * {@link StompFrameEncoder}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StompCodecBenchmark {

    /** StompSettings' defaults. */
    private static final int MAX_HEADER_LINE_LENGTH = 8192;
    private static final int MAX_HEADERS = 128;
    private static final long MAX_BODY_SIZE = 64L * 1024 * 1024;

    @Param({"128", "4096"})
    public int payloadSize;

    private EmbeddedChannel decoding;
    private EmbeddedChannel encoding;
    private ByteBuf sendBytes;
    private StompFrame messageFrame;

    @Setup
    public void setUp() {
        StompFrameDecoder decoder = new StompFrameDecoder(MAX_HEADER_LINE_LENGTH, MAX_HEADERS);
        decoder.version(StompVersion.V1_2);
        decoding = new EmbeddedChannel(decoder, new StompFrameAggregator(MAX_BODY_SIZE));
        encoding = new EmbeddedChannel(new StompFrameEncoder());
        byte[] head = ("SEND\ndestination:/queue/" + Samples.QUEUE + "\npersistent:true\nreceipt:r-42\n"
                + "content-type:application/octet-stream\ncorrelation-id:order-4711\nregion:eu\n"
                + "content-length:" + payloadSize + "\n\n").getBytes(StandardCharsets.UTF_8);
        sendBytes = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(head, Samples.payload(payloadSize), new byte[1]));
        StompFrame decoded = decode();
        if (decoded.content().readableBytes() != payloadSize) {
            throw new IllegalStateException("decoded " + decoded);
        }
        decoded.release();
        Delivery delivery = new Delivery(1, Samples.coreMessage(payloadSize, BodyType.BYTES),
                Destination.queue(Samples.QUEUE), 1, false);
        messageFrame = StompMessages.toMessageFrame(delivery, "sub-0", null, new StompDestinations(null));
    }

    @TearDown
    public void tearDown() {
        messageFrame.release();
        decoding.finishAndReleaseAll();
        encoding.finishAndReleaseAll();
    }

    @Benchmark
    public int decodeSend() {
        StompFrame frame = decode();
        int length = frame.content().readableBytes();
        frame.release();
        return length;
    }

    private StompFrame decode() {
        decoding.writeInbound(sendBytes.duplicate());
        StompFrame frame = decoding.readInbound();
        if (!frame.decoderResult().isSuccess()) {
            throw new IllegalStateException("not decoded: " + frame.decoderResult());
        }
        return frame;
    }

    @Benchmark
    public int encodeMessage() {
        // The encoder releases the frame it wrote: one more reference keeps it for the next call.
        encoding.writeOutbound(messageFrame.retain());
        return Outbound.drain(encoding);
    }
}
