package io.junction.amqp;

import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.Message;

import java.nio.BufferOverflowException;
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
        int capacity = Math.max(256, sizeHint + 512);
        while (true) {
            WritableBuffer.ByteBufferWrapper buffer = WritableBuffer.ByteBufferWrapper.allocate(capacity);
            try {
                message.encode(buffer);
                return Arrays.copyOf(buffer.byteBuffer().array(), buffer.position());
            } catch (BufferOverflowException | IndexOutOfBoundsException e) {
                capacity *= 2;
            }
        }
    }
}
