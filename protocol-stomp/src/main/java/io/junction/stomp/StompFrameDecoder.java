package io.junction.stomp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.stomp.DefaultLastStompContentSubframe;
import io.netty.handler.codec.stomp.DefaultStompContentSubframe;
import io.netty.handler.codec.stomp.DefaultStompHeadersSubframe;
import io.netty.handler.codec.stomp.LastStompContentSubframe;
import io.netty.handler.codec.stomp.StompCommand;
import io.netty.handler.codec.stomp.StompHeaders;
import io.netty.handler.codec.stomp.StompHeadersSubframe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the byte stream into STOMP frames: a {@link StompHeadersSubframe}, then content subframes
 * ending with a {@link LastStompContentSubframe}, for {@link StompFrameAggregator}. A failure is
 * passed on as a subframe with a failed {@link DecoderResult}, and the rest of the stream is
 * dropped.
 *
 * <p>Used instead of Netty's {@code StompSubframeDecoder}, whose header parsing ignores the
 * version. Here header names and values are un-escaped (STOMP 1.2 "Value Encoding") only on 1.1
 * and 1.2 connections and never in CONNECT and STOMP frames, so a 1.0 client's backslashes are
 * plain characters; a colon after the first one of a line belongs to the value; header lines are
 * UTF-8 in full, characters outside the Basic Multilingual Plane included.
 */
final class StompFrameDecoder extends ByteToMessageDecoder {

    private static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final int maxLineLength;
    private final int maxHeaders;
    private volatile StompVersion version = StompVersion.V1_0;

    /** Command and header lines read so far of an incomplete header block. */
    private final List<String> lines = new ArrayList<>();
    /** Bytes of the incomplete header block, from the reader index, that {@link #lines} hold. */
    private int scanned;
    private boolean inBody;
    /** Body bytes still to come before the NUL, or -1 when the frame has no content-length. */
    private long remaining;
    private boolean failed;

    StompFrameDecoder(int maxLineLength, int maxHeaders) {
        this.maxLineLength = maxLineLength;
        this.maxHeaders = maxHeaders;
    }

    /** The negotiated version, which decides how the header values of later frames are un-escaped. */
    void version(StompVersion version) {
        this.version = version;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (inBody) {
                readBody(in, out);
            } else {
                readHeaders(in, out);
            }
        } catch (DecoderException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            if (inBody) {
                LastStompContentSubframe failure = new DefaultLastStompContentSubframe(Unpooled.EMPTY_BUFFER);
                failure.setDecoderResult(DecoderResult.failure(e));
                out.add(failure);
            } else {
                StompHeadersSubframe failure = new DefaultStompHeadersSubframe(StompCommand.UNKNOWN);
                failure.setDecoderResult(DecoderResult.failure(e));
                out.add(failure);
            }
        }
    }

    private void readHeaders(ByteBuf in, List<Object> out) {
        if (scanned == 0) {
            // End-of-line bytes before a frame are heart-beats.
            while (in.isReadable() && isEol(in.getByte(in.readerIndex()))) {
                in.skipBytes(1);
            }
        }
        int lineStart = in.readerIndex() + scanned;
        while (true) {
            int lf = in.indexOf(lineStart, in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                // A trailing CR may still turn out to be part of the line ending.
                if (in.writerIndex() - lineStart > maxLineLength + 1) {
                    throw lineTooLong();
                }
                scanned = lineStart - in.readerIndex();
                return;
            }
            int end = lf > lineStart && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            int length = end - lineStart;
            if (length > maxLineLength) {
                throw lineTooLong();
            }
            String line = in.toString(lineStart, length, StandardCharsets.UTF_8);
            lineStart = lf + 1;
            if (line.isEmpty()) {
                break;
            }
            if (lines.size() > maxHeaders) {
                throw new DecoderException("maximum number of headers exceeded: a frame may carry " + maxHeaders);
            }
            lines.add(line);
        }
        in.readerIndex(lineStart);
        StompHeadersSubframe headers = parse(lines);
        lines.clear();
        scanned = 0;
        remaining = contentLength(headers.headers());
        inBody = true;
        out.add(headers);
    }

    private void readBody(ByteBuf in, List<Object> out) {
        if (remaining < 0) {
            int nul = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
            int available = (nul < 0 ? in.writerIndex() : nul) - in.readerIndex();
            int chunk = Math.min(available, MAX_CHUNK_SIZE);
            if (chunk > 0) {
                out.add(new DefaultStompContentSubframe(in.readRetainedSlice(chunk)));
            }
            if (nul < 0 || chunk < available) {
                return;
            }
        } else {
            int chunk = (int) Math.min(Math.min(remaining, in.readableBytes()), MAX_CHUNK_SIZE);
            if (chunk > 0) {
                out.add(new DefaultStompContentSubframe(in.readRetainedSlice(chunk)));
                remaining -= chunk;
            }
            if (remaining > 0 || !in.isReadable()) {
                return;
            }
            if (in.getByte(in.readerIndex()) != 0) {
                throw new DecoderException("the body is longer than its content-length: no NUL byte follows it");
            }
        }
        in.skipBytes(1);
        out.add(LastStompContentSubframe.EMPTY_LAST_CONTENT);
        inBody = false;
    }

    private StompHeadersSubframe parse(List<String> commandAndHeaders) {
        StompCommand command = command(commandAndHeaders.get(0));
        boolean unescape = version.escapesHeaders() && command != StompCommand.CONNECT && command != StompCommand.STOMP;
        StompHeadersSubframe frame = new DefaultStompHeadersSubframe(command);
        for (String line : commandAndHeaders.subList(1, commandAndHeaders.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new DecoderException("invalid header line '" + line + "': expected name:value");
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            frame.headers().add(unescape ? unescape(name) : name, unescape ? unescape(value) : value);
        }
        return frame;
    }

    private static StompCommand command(String line) {
        try {
            return StompCommand.valueOf(line);
        } catch (IllegalArgumentException e) {
            throw new DecoderException("unknown command '" + line + "'");
        }
    }

    /** Undoes {@code \\}, {@code \n}, {@code \r} and {@code \c}; any other escape is an error. */
    private static String unescape(String text) {
        int backslash = text.indexOf('\\');
        if (backslash < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, backslash);
        for (int i = backslash; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == text.length()) {
                throw new DecoderException("invalid escape sequence: '" + text + "' ends with a backslash");
            }
            switch (text.charAt(i)) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'c' -> out.append(':');
                default -> throw new DecoderException("invalid escape sequence '\\" + text.charAt(i) + "' in '" + text + "'");
            }
        }
        return out.toString();
    }

    private static long contentLength(StompHeaders headers) {
        String value = headers.getAsString(StompHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new DecoderException("content-length '" + value + "' is not a number of bytes");
    }

    private static boolean isEol(byte b) {
        return b == '\n' || b == '\r';
    }

    private DecoderException lineTooLong() {
        return new DecoderException("a command or header line is longer than the maximum of " + maxLineLength + " bytes");
    }
}
