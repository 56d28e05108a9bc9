package io.junction.amqp;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.spi.ProtocolModule.Detection;
import io.netty.buffer.Unpooled;
import org.apache.qpid.proton.amqp.Symbol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AmqpDetectionAndAddressTest {

    private final AmqpProtocolModule module = new AmqpProtocolModule();

    private Detection detect(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return module.detect(Unpooled.wrappedBuffer(b));
    }

    @Test
    void amqpAndSaslHeadersAreRecognised() {
        assertThat(detect('A', 'M', 'Q', 'P', 0, 1, 0, 0)).isEqualTo(Detection.MATCH);
        assertThat(detect('A', 'M', 'Q', 'P', 3, 1, 0, 0)).isEqualTo(Detection.MATCH);
        assertThat(detect('A', 'M', 'Q')).isEqualTo(Detection.NEED_MORE);
        assertThat(detect('A', 'M', 'Q', 'P', 9)).isEqualTo(Detection.NO_MATCH);
        assertThat(detect('C', 'O', 'N', 'N')).isEqualTo(Detection.NO_MATCH);
        assertThat(detect(0x10, 0x0c)).isEqualTo(Detection.NO_MATCH);
    }

    @Test
    void addressesMapByPrefixThenCapabilityThenToAQueue() {
        assertThat(AmqpAddresses.toCore("queue://orders", null)).isEqualTo(Destination.queue("orders"));
        assertThat(AmqpAddresses.toCore("topic://prices.eur", null)).isEqualTo(Destination.topic("prices.eur"));
        assertThat(AmqpAddresses.toCore("prices", new Symbol[] {AmqpAddresses.TOPIC}))
                .isEqualTo(Destination.topic("prices"));
        assertThat(AmqpAddresses.toCore("tmp", new Symbol[] {AmqpAddresses.TEMPORARY_QUEUE}))
                .isEqualTo(new Destination(DestinationType.TEMP_QUEUE, "tmp"));
        assertThat(AmqpAddresses.toCore("orders", null)).isEqualTo(Destination.queue("orders"));
    }
}
