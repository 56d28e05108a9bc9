package io.junction.mqtt;

import io.junction.bench.jmh.Outbound;
import io.junction.bench.jmh.Samples;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
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

import java.util.concurrent.TimeUnit;

/**
 * An MQTT 3.1.1 QoS 1 PUBLISH through the module's pipeline handlers, in an {@link EmbeddedChannel}.
 * Decode: its bytes (as Netty's encoder writes them, as clients send them) through
 * {@link MqttFraming} and Netty's {@link MqttDecoder}, as {@code MqttProtocolModule.install} puts
 * them. Encode: a PUBLISH built as {@code MqttOutbox.write} builds it for a subscriber, through
 * {@link MqttEncoder}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MqttCodecBenchmark {

    @Param({"128", "4096"})
    public int payloadSize;

    private EmbeddedChannel decoding;
    private EmbeddedChannel encoding;
    private ByteBuf publishBytes;
    private byte[] payload;

    @Setup
    public void setUp() {
        payload = Samples.payload(payloadSize);
        decoding = MqttBenchPackets.decodingChannel();
        encoding = new EmbeddedChannel(MqttEncoder.INSTANCE);
        publishBytes = Unpooled.unreleasableBuffer(MqttBenchPackets.publishBytes(Samples.TOPIC, MqttQoS.AT_LEAST_ONCE,
                payload, MqttProperties.NO_PROPERTIES));
        MqttPublishMessage decoded = decode();
        if (decoded.payload().readableBytes() != payloadSize) {
            throw new IllegalStateException("decoded " + decoded);
        }
        decoded.release();
    }

    @TearDown
    public void tearDown() {
        decoding.finishAndReleaseAll();
        encoding.finishAndReleaseAll();
    }

    @Benchmark
    public int decodePublish() {
        MqttPublishMessage publish = decode();
        int packetId = publish.variableHeader().packetId();
        publish.release();
        return packetId;
    }

    private MqttPublishMessage decode() {
        decoding.writeInbound(publishBytes.duplicate());
        MqttPublishMessage publish = decoding.readInbound();
        if (!publish.decoderResult().isSuccess()) {
            throw new IllegalStateException("not decoded: " + publish.decoderResult());
        }
        return publish;
    }

    @Benchmark
    public int encodePublish() {
        MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0);
        MqttPublishMessage publish = new MqttPublishMessage(fixed,
                new MqttPublishVariableHeader(Samples.TOPIC, 42, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(payload));
        encoding.writeOutbound(publish);
        return Outbound.drain(encoding);
    }
}
