package io.junction.stomp;

import io.junction.core.spi.ProtocolModule.Detection;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Version and heart-beat negotiation, and protocol detection on a shared port. */
class StompNegotiationTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "null", value = {
            "null; V1_0",
            "1.0; V1_0",
            "1.1; V1_1",
            "1.0,1.1,1.2; V1_2",
            "1.2,1.0; V1_2",
            " 1.1 , 1.0 ; V1_1",
            "2.0,1.1; V1_1",
            "9.9; null"})
    void acceptVersionPicksTheHighestCommonVersion(String header, String expected) {
        StompVersion version = StompVersion.negotiate(header);
        assertThat(version == null ? null : version.name()).isEqualTo(expected);
    }

    @Test
    void heartbeatsAgreeToTheClientRaisedToTheMinimum() throws Exception {
        StompHeartbeat hb = StompHeartbeat.negotiate("500,2000", 100);
        // The client can send every 500 ms, so we expect that; it wants ours every 2000 ms.
        assertThat(hb.sendEveryMillis()).isEqualTo(2000);
        assertThat(hb.expectEveryMillis()).isEqualTo(500);
        assertThat(hb.header()).isEqualTo("2000,500");
        assertThat(StompHeartbeat.negotiate("10,10", 100).header()).isEqualTo("100,100");
        assertThat(StompHeartbeat.negotiate("0,0", 100)).isEqualTo(StompHeartbeat.NONE);
        assertThat(StompHeartbeat.negotiate(null, 100)).isEqualTo(StompHeartbeat.NONE);
        assertThat(StompHeartbeat.negotiate("0,1000", 100).header()).isEqualTo("1000,0");
    }

    @ParameterizedTest
    @CsvSource({"1000", "a,b", "-1,5", "1,2,3"})
    void malformedHeartbeatIsRejected(String header) {
        assertThatThrownBy(() -> StompHeartbeat.negotiate(header, 100))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("heart-beat");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "CONNECT\\naccept-version:1.2; MATCH",
            "STOMP\\r\\nhost:x; MATCH",
            "\\n\\nCONNECT\\n; MATCH",
            "CONN; NEED_MORE",
            "STOMP; NEED_MORE",
            "''; NEED_MORE",
            "GET / HTTP/1.1; NO_MATCH",
            "CONNECTED\\n; NO_MATCH",
            "SEND\\n; NO_MATCH"})
    void detectsTheStompHandshake(String prefix, Detection expected) {
        String text = prefix.replace("\\n", "\n").replace("\\r", "\r");
        assertThat(new StompProtocolModule().detect(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII)))
                .isEqualTo(expected);
    }
}
