package io.junction.interop.stompy;

import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** stomp.py over a TLS listener ({@code set_ssl} with the broker's certificate as its CA file). */
class StompPyTlsTest {

    private static final TestTls TLS = TestTls.get();

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker(TLS.listenerYaml("stomp-tls", "stomp", "none"));

    @Test
    void sendAndReceiveOverTls() {
        try (StompPy client = StompPy.startTls(broker.port("stomp-tls"), TLS.brokerCertificatePem())) {
            client.connect("1.2", Map.of(), 0, 0);
            client.subscribe("/queue/tls.py", "1");
            client.send("/queue/tls.py", "over tls from python");
            assertThat(client.awaitMessage().body()).isEqualTo("over tls from python");
            client.disconnect();
        }
    }
}
