package io.junction.mqtt;

import io.junction.core.spi.ProtocolModule.Detection;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MqttDetectionTest {

    private final MqttProtocolModule module = new MqttProtocolModule();

    private Detection detect(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return module.detect(Unpooled.wrappedBuffer(b));
    }

    @Test
    void connectOfEachLevelIsRecognised() {
        assertThat(detect(0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4)).isEqualTo(Detection.MATCH);
        assertThat(detect(0x10, 0x80, 0x01, 0, 4, 'M', 'Q', 'T', 'T', 5)).isEqualTo(Detection.MATCH);
        assertThat(detect(0x10, 0x12, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 3)).isEqualTo(Detection.MATCH);
    }

    @Test
    void partialConnectAsksForMore() {
        assertThat(detect()).isEqualTo(Detection.NEED_MORE);
        assertThat(detect(0x10)).isEqualTo(Detection.NEED_MORE);
        assertThat(detect(0x10, 0x80)).isEqualTo(Detection.NEED_MORE);
        assertThat(detect(0x10, 0x10, 0, 4, 'M', 'Q')).isEqualTo(Detection.NEED_MORE);
    }

    @Test
    void otherProtocolsAreNotMqtt() {
        assertThat(detect('C', 'O', 'N', 'N', 'E', 'C', 'T')).isEqualTo(Detection.NO_MATCH);
        assertThat(detect(0x30, 0x10)).isEqualTo(Detection.NO_MATCH);
        assertThat(detect(0x10, 0x10, 0, 4, 'A', 'M', 'Q', 'P')).isEqualTo(Detection.NO_MATCH);
        assertThat(detect(0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)).isEqualTo(Detection.NO_MATCH);
    }
}
