package io.junction.bench.jmh;

import io.junction.amqp.AmqpConversions;
import io.junction.core.model.BodyType;
import io.junction.core.model.Destination;
import io.junction.core.model.Message;
import io.junction.core.spi.Delivery;
import io.junction.mqtt.MqttBenchPackets;
import io.junction.mqtt.MqttConversions;
import io.junction.openwire.OpenWireBenchFormats;
import io.junction.openwire.OpenWireConversions;
import io.junction.stomp.StompConversions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.codec.stomp.StompFrame;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.MessageId;
import org.apache.activemq.command.ProducerId;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A message crossing from one protocol to another through the core message, with the modules' own
 * mappings (opened by the {@code *Conversions} classes, which call the package-private ones),
 * from the decoded input message to the output protocol's message object (its encoding is the
 * codec benchmarks'):
 * <ul>
 *   <li>MQTT 5 PUBLISH (QoS 1, a content type and two user properties), as decoded by the module's
 *       pipeline, to core to a proton-j AMQP message;</li>
 *   <li>an OpenWire text message as unmarshalled from a producer's send (a fresh copy each time:
 *       reading it caches the decoded text and properties in it) to core to a STOMP MESSAGE
 *       frame;</li>
 *   <li>an AMQP message (a BytesMessage of Qpid JMS) as decoded by proton-j to core to an OpenWire
 *       message for a consumer.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConversionBenchmark {

    private static final long NOW = 1_700_000_000_000L;
    private static final Destination QUEUE = Destination.queue(Samples.QUEUE);

    @Param({"128", "4096"})
    public int payloadSize;

    private MqttPublishMessage mqttPublish;
    private ActiveMQTextMessage openWireSent;
    private org.apache.qpid.proton.message.Message amqpReceived;
    private final ProducerId dispatcher = new ProducerId(new SessionId(new ConnectionId("ID:junction-1"), 1), 1);
    private long dispatched;

    @Setup
    public void setUp() throws Exception {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "application/json"));
        MqttProperties.UserProperties user = new MqttProperties.UserProperties();
        user.add("site", "s17");
        user.add("unit", "celsius");
        properties.add(user);
        EmbeddedChannel decoding = MqttBenchPackets.decodingChannel(MqttVersion.MQTT_5);
        ByteBuf bytes = MqttBenchPackets.publishBytes(Samples.TOPIC, MqttQoS.AT_LEAST_ONCE,
                Samples.payload(payloadSize), properties, MqttVersion.MQTT_5);
        decoding.writeInbound(bytes);
        mqttPublish = decoding.readInbound();
        decoding.finishAndReleaseAll();

        OpenWireBenchFormats formats = new OpenWireBenchFormats();
        openWireSent = (ActiveMQTextMessage) formats.broker.unmarshal(
                new org.apache.activemq.util.ByteSequence(formats.sentBytes(Samples.text(payloadSize))));

        amqpReceived = org.apache.qpid.proton.message.Message.Factory.create();
        byte[] encoded = AmqpConversions.encode(AmqpConversions.toAmqp(
                Samples.coreMessage(payloadSize, BodyType.BYTES), QUEUE, NOW));
        amqpReceived.decode(encoded, 0, encoded.length);

        check("MQTT to AMQP", mqttToAmqp().getApplicationProperties().getValue().keySet(), "[JMS_MQTT_QoS, site, unit]");
        check("OpenWire to STOMP", openWireToStomp().headers().getAsString("region"), "eu");
        check("AMQP to OpenWire", amqpToOpenWire().getProperties().keySet().stream().sorted().toList(),
                "[amount, customer, region]");
    }

    private static void check(String conversion, Object found, String expected) {
        if (!String.valueOf(found).equals(expected)) {
            throw new IllegalStateException(conversion + ": " + found + ", expected " + expected);
        }
    }

    @TearDown
    public void tearDown() {
        mqttPublish.release();
    }

    @Benchmark
    public org.apache.qpid.proton.message.Message mqttToAmqp() {
        Message core = MqttConversions.toCore(mqttPublish, NOW);
        return AmqpConversions.toAmqp(core, core.destination(), NOW);
    }

    @Benchmark
    public StompFrame openWireToStomp() throws Exception {
        Message core = OpenWireConversions.toCore((ActiveMQMessage) openWireSent.copy());
        StompFrame frame = StompConversions.toMessageFrame(new Delivery(++dispatched, core, core.destination(), 1, false),
                "sub-0");
        frame.release();
        return frame;
    }

    @Benchmark
    public ActiveMQMessage amqpToOpenWire() throws Exception {
        Message core = AmqpConversions.toCore(amqpReceived, QUEUE, NOW);
        return OpenWireConversions.toOpenWire(core, QUEUE, new MessageId(dispatcher, ++dispatched));
    }
}
