package io.junction.interop.tls;

import io.junction.interop.mqtt.PahoClient;
import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.AuditLines;
import io.junction.interop.support.EmbeddedBroker;
import io.junction.interop.support.TestTls;
import jakarta.jms.Connection;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.junction.interop.tls.TlsClientsTest.amqpsUri;
import static io.junction.interop.tls.TlsClientsTest.openWireFactory;
import static io.junction.interop.tls.TlsClientsTest.pahoOptions;
import static io.junction.interop.tls.TlsClientsTest.roundTrip;
import static io.junction.interop.tls.TlsClientsTest.stompOverTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client certificate mapped to a user in users.yaml logs in as that user with every protocol's
 * real client over TLS, giving no user name: Paho over {@code ssl://}, Qpid JMS over {@code amqps://}
 * (SASL EXTERNAL), the ActiveMQ client over {@code ssl://}, STOMP over an SSLSocket. The listeners
 * refuse anonymous clients, and the ACLs grant only {@code user:device}, so each success shows
 * the certificate login and the ACL of its user at work.
 */
@Timeout(120)
class CertificateLoginTest {

    private static final TestTls TLS = TestTls.get();

    /** The subject of {@link TestTls#CLIENT_SUBJECT} spelled otherwise: compared as X.500 names. */
    private static final String MAPPED_SUBJECT = "cn=Trusted-Client, o=Junction Tests";

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker(
            closed(TLS.listenerYaml("mqtt-mtls", "mqtt", "required"))
                    + closed(TLS.listenerYaml("amqp-mtls", "amqp", "required"))
                    + closed(TLS.listenerYaml("openwire-mtls", "openwire", "required"))
                    + closed(TLS.listenerYaml("stomp-optional", "stomp", "optional")))
            .withCertificateUser("device", MAPPED_SUBJECT, "devices")
            .withUser("alice", "alice-pw", "apps")
            .withAcls("""
                    acls:
                      - match: cert.>
                        read: ["user:device"]
                        write: ["user:device"]
                        admin: ["user:device"]
                      - match: other.>
                        read: [apps]
                        write: [apps]
                        admin: [apps]
                    """);

    @RegisterExtension
    final AuditLines audit = new AuditLines();

    /** A TLS listener entry that refuses anonymous clients. */
    static String closed(String listenerYaml) {
        return listenerYaml + "    allowAnonymous: false\n";
    }

    private List<String> auditLines() {
        return audit.lines();
    }

    private void assertLoggedInByCertificate(String protocol) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(auditLines()).anySatisfy(line ->
                assertThat(line).startsWith("AUTH OK user=device groups=[devices]")
                        .contains("protocol=" + protocol, "method=certificate",
                                "subject=\"CN=trusted-client,O=Junction Tests\"")));
    }

    @Test
    void pahoOverSslWithoutAUserName() throws Exception {
        try (PahoClient paho = PahoClient.connect("ssl://127.0.0.1:" + broker.port("mqtt-mtls"), "cert-paho",
                pahoOptions(true))) {
            paho.subscribe("cert/mqtt", 1);
            paho.publish("cert/mqtt", "as device", 1, false);
            assertThat(paho.await().text()).isEqualTo("as device");
        }
        assertLoggedInByCertificate("mqtt");
    }

    @Test
    void qpidJmsOverAmqpsUsesSaslExternal() throws Exception {
        // Qpid JMS prefers EXTERNAL whenever it has a key store and the server offers it; here it
        // may use nothing else, so the login fails unless the broker offers EXTERNAL and accepts it.
        String uri = amqpsUri(broker.port("amqp-mtls"), true) + "&amqp.saslMechanisms=EXTERNAL";
        try (Connection connection = new JmsConnectionFactory(uri).createConnection()) {
            assertThat(roundTrip(connection, "cert.amqp", "as device")).isEqualTo("as device");
        }
        assertLoggedInByCertificate("amqp");
        // And with its default choice among all mechanisms offered.
        try (Connection connection = new JmsConnectionFactory(amqpsUri(broker.port("amqp-mtls"), true))
                .createConnection()) {
            assertThat(roundTrip(connection, "cert.amqp.default", "as device")).isEqualTo("as device");
        }
    }

    @Test
    void activeMqClientOverSslWithoutAUser() throws Exception {
        try (Connection connection = openWireFactory(broker.port("openwire-mtls"), true).createConnection()) {
            assertThat(roundTrip(connection, "cert.openwire", "as device")).isEqualTo("as device");
        }
        assertLoggedInByCertificate("openwire");
    }

    @Test
    void stompOverTlsWithoutALoginHeaderAndTheAclsOfTheCertificateUser() throws Exception {
        try (RawStompClient stomp = stompOverTls(broker.port("stomp-optional"), true)) {
            stomp.connect("1.2");
            stomp.write(RawStompClient.frame("SUBSCRIBE", "id:1", "destination:/queue/cert.stomp", "receipt:r1"));
            assertThat(stomp.readFrame().command()).isEqualTo("RECEIPT");
            stomp.write(RawStompClient.frameWithBody("SEND", "as device", "destination:/queue/cert.stomp"));
            RawFrame message = stomp.readFrame();
            assertThat(message.command()).isEqualTo("MESSAGE");
            assertThat(message.bodyText()).isEqualTo("as device");
            // other.> is the apps group's only.
            stomp.write(RawStompClient.frameWithBody("SEND", "not mine", "destination:/queue/other.x",
                    "receipt:r2"));
            RawFrame refused = stomp.expectErrorAndClose();
            assertThat(refused.header("message")).contains("not authorized");
        }
        assertLoggedInByCertificate("stomp");
    }

    @Test
    void aUserNameAndPasswordWinOverTheCertificate() throws Exception {
        try (RawStompClient stomp = stompOverTls(broker.port("stomp-optional"), true)) {
            stomp.connect("1.2", "login:alice", "passcode:alice-pw");
            stomp.write(RawStompClient.frameWithBody("SEND", "as alice", "destination:/queue/other.x",
                    "receipt:r1"));
            assertThat(stomp.readFrame().command()).isEqualTo("RECEIPT");
        }
        assertThat(auditLines()).singleElement().asString().startsWith("AUTH OK user=alice")
                .endsWith("method=password");
        // The certificate's own user, named: fine; another user's name without its password: refused.
        try (RawStompClient stomp = stompOverTls(broker.port("stomp-optional"), true)) {
            stomp.connect("1.2", "login:device");
        }
        try (RawStompClient stomp = stompOverTls(broker.port("stomp-optional"), true)) {
            stomp.write(RawStompClient.frame("CONNECT", "accept-version:1.2", "host:localhost", "login:alice"));
            assertThat(stomp.expectErrorAndClose().header("message")).isEqualTo("authentication failed");
        }
    }
}
