package io.junction.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

import java.util.List;

/**
 * Frames MQTT packets ahead of Netty's decoder, for two checks the decoder cannot make. It passes
 * the bytes of whole packets on unchanged, several at once.
 * <ul>
 *   <li>The reserved bits of SUBSCRIBE options, which the decoder drops unread ([MQTT-3.8.3-4] in
 *       3.1.1, [MQTT-3.8.3-5] in 5.0): such a SUBSCRIBE is replaced by a failed packet.</li>
 *   <li>A field that runs past the end of its packet (a topic length too long, a missing packet
 *       id): the decoder would wait for bytes that belong to the next packet. Every whole packet
 *       passed on must come out of the decoder at once; when one does not, a failed packet
 *       follows.</li>
 *   <li>A first packet that is not a CONNECT fails at once, whatever length it seems to have.</li>
 * </ul>
 * The connection treats a failed packet as malformed.
 */
final class MqttFraming extends ByteToMessageDecoder {

    /** Where Netty's MQTT decoder records the CONNECT's protocol level on the channel. */
    private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
    private static final int SUBSCRIBE = 8;

    private final int maxPacketSize;
    private long packetsPassed;
    private boolean connectSeen;
    private boolean shortPacketReported;

    MqttFraming(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        // The decoder runs in this call: every whole packet passed on has reached the connection.
        MqttConnection connection = ctx.pipeline().get(MqttConnection.class);
        if (!shortPacketReported && connection != null && connection.packetsRead() < packetsPassed) {
            shortPacketReported = true;
            ctx.fireChannelRead(failedPacket(MqttMessageType.PUBLISH, "a field runs past the end of its packet"));
        }
    }

    private static MqttMessage failedPacket(MqttMessageType type, String reason) {
        return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0), null, null,
                DecoderResult.failure(new DecoderException(reason)));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (!connectSeen && end > start) {
            if (in.getUnsignedByte(start) != 0x10) {
                // Not an MQTT client (an HTTP request, say): no use waiting for the length it seems to give.
                in.skipBytes(end - start);
                shortPacketReported = true;
                out.add(failedPacket(MqttMessageType.CONNECT, "the first packet is not CONNECT [MQTT-3.1.0-1]"));
                return;
            }
            connectSeen = true;
        }
        int next = start;
        while (next < end) {
            int lengthStart = next + 1;
            int remaining = 0;
            int multiplier = 1;
            int i = lengthStart;
            boolean lengthComplete = false;
            while (i < end && i - lengthStart < 4) {
                byte b = in.getByte(i++);
                remaining += (b & 0x7F) * multiplier;
                multiplier *= 128;
                if ((b & 0x80) == 0) {
                    lengthComplete = true;
                    break;
                }
            }
            if (!lengthComplete) {
                if (i - lengthStart >= 4) {
                    // A malformed length: the decoder reports it.
                    next = end;
                    shortPacketReported = true;
                }
                break;
            }
            if (remaining > maxPacketSize) {
                // Too large: the decoder refuses it as soon as it sees the length; no need to hold it.
                next = end;
                shortPacketReported = true;
                break;
            }
            int packetEnd = i + remaining;
            if (packetEnd > end) {
                break;
            }
            int type = (in.getUnsignedByte(next) & 0xF0) >> 4;
            if (type == SUBSCRIBE && reservedBitsSet(ctx, in, i, packetEnd)) {
                if (next > start) {
                    out.add(in.readRetainedSlice(next - start));
                }
                in.skipBytes(packetEnd - next);
                packetsPassed++;
                out.add(failedPacket(MqttMessageType.SUBSCRIBE, "reserved bits set in subscription options [MQTT-3.8.3-5]"));
                return;
            }
            packetsPassed++;
            next = packetEnd;
        }
        if (next > start) {
            out.add(in.readRetainedSlice(next - start));
        }
    }

    /** Whether an options byte of the SUBSCRIBE payload in [from, to) has a reserved bit set. */
    private static boolean reservedBitsSet(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
        MqttVersion version = ctx.channel().attr(VERSION).get();
        if (version == null) {
            return false;
        }
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        int i = from + 2;
        if (mqtt5) {
            int propertiesLength = 0;
            int multiplier = 1;
            byte b;
            do {
                if (i >= to) {
                    return false;
                }
                b = in.getByte(i++);
                propertiesLength += (b & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0 && multiplier <= 128 * 128 * 128);
            i += propertiesLength;
        }
        int reserved = mqtt5 ? 0xC0 : 0xFC;
        while (i + 2 <= to) {
            int filterLength = in.getUnsignedShort(i);
            int options = i + 2 + filterLength;
            if (options >= to) {
                return false;
            }
            if ((in.getUnsignedByte(options) & reserved) != 0) {
                return true;
            }
            i = options + 1;
        }
        return false;
    }
}
