package io.junction.interop.tls;

import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.TestTls;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.junction.interop.tls.CertificateLoginTest.closed;
import static io.junction.interop.tls.TlsClientsTest.amqpsUri;
import static io.junction.interop.tls.TlsClientsTest.openWireFactory;
import static io.junction.interop.tls.TlsClientsTest.pahoOptions;
import static io.junction.interop.tls.TlsClientsTest.stompOverTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A certificate that TLS trusts but that maps to no user is an anonymous client: on listeners
 * that refuse anonymous clients each protocol answers with its own refusal.
 */
@Timeout(120)
class UnmappedCertificateTest {

    private static final TestTls TLS = TestTls.get();

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker(
            closed(TLS.listenerYaml("mqtt-mtls", "mqtt", "required"))
                    + closed(TLS.listenerYaml("amqp-mtls", "amqp", "required"))
                    + closed(TLS.listenerYaml("openwire-mtls", "openwire", "required"))
                    + closed(TLS.listenerYaml("stomp-mtls", "stomp", "required")))
            .withCertificateUser("someone-else", "CN=someone-else,O=Junction Tests")
            .withUser("alice", "alice-pw");

    @Test
    void pahoIsNotAuthorized() {
        MqttException refused = catchThrowableOfType(MqttException.class, () -> PahoClient.connect(
                "ssl://127.0.0.1:" + broker.port("mqtt-mtls"), "unmapped", pahoOptions(true)).close());
        assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    @Test
    void qpidJmsGetsASecurityException() {
        // EXTERNAL is not offered for a certificate that maps to no user; ANONYMOUS is refused.
        assertThatThrownBy(() -> new JmsConnectionFactory(amqpsUri(broker.port("amqp-mtls"), true))
                .createConnection().close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void theActiveMqClientGetsASecurityException() throws Exception {
        Connection connection = openWireFactory(broker.port("openwire-mtls"), true).createConnection();
        try {
            assertThatThrownBy(connection::start).isInstanceOf(JMSSecurityException.class);
        } finally {
            try {
                connection.close();
            } catch (Exception closedByTheBroker) {
                // the broker closed the socket after its refusal
            }
        }
    }

    @Test
    void stompGetsAnErrorFrame() throws Exception {
        try (RawStompClient stomp = stompOverTls(broker.port("stomp-mtls"), true)) {
            stomp.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost"));
            assertThat(stomp.expectErrorAndClose().header("message")).isEqualTo("authentication failed");
        }
    }
}
