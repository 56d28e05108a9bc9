package io.junction.amqp;

import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.Message;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Encoding of whole AMQP messages to bytes. */
final class AmqpCodec {

    private AmqpCodec() {
    }

    /**
     * The message's encoding, into a buffer that grows until it fits: proton's
     * {@code encode(byte[], ...)} truncates silently when the array is too small.
     *
     * @param sizeHint the expected size (the body's), to start from
     */
    static byte[] encode(Message message, int sizeHint) {
        ByteBuffer encoded = encodeToBuffer(message, sizeHint);
        return Arrays.copyOf(encoded.array(), encoded.position());
    }

    /**
     * The same, left in the heap buffer it was written to (the encoding is its first
     * {@code position()} bytes), for a transfer that copies it anyway.
     */
    static ByteBuffer encodeToBuffer(Message message, int sizeHint) {
        int capacity = Math.max(256, sizeHint + 512);
        while (true) {
            WritableBuffer.ByteBufferWrapper buffer = WritableBuffer.ByteBufferWrapper.allocate(capacity);
            try {
                message.encode(buffer);
                return buffer.byteBuffer();
            } catch (BufferOverflowException | IndexOutOfBoundsException e) {
                capacity *= 2;
            }
        }
    }
}
