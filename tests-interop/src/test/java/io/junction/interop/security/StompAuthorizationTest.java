package io.junction.interop.security;

import io.junction.interop.raw.RawFrame;
import io.junction.interop.raw.RawStompClient;
import io.junction.interop.support.AuditLines;
import io.junction.interop.support.EmbeddedBroker;
import org.junit.jupiter.api.Test;

import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** STOMP: a request an ACL refuses gets an ERROR frame naming the refusal. */
@Timeout(60)
class StompAuthorizationTest {

    @RegisterExtension
    final EmbeddedBroker broker = new EmbeddedBroker()
            .withUser("alice", "alice-pw", "apps")
            .withUser("bob", "bob-pw", "readers")
            .withListenerSettings("allowAnonymous: false")
            .withAcls(Acl.ACLS);

    @RegisterExtension
    final AuditLines audit = new AuditLines();

    private RawStompClient connect(String user) throws Exception {
        return RawStompClient.connected(broker.stompPort(), "1.2", "login:" + user, "passcode:" + user + "-pw");
    }

    private static void expectReceipt(RawStompClient client, String frame) throws Exception {
        client.write(frame);
        RawFrame answer = client.readFrame();
        assertThat(answer.command()).as(answer.toString()).isEqualTo("RECEIPT");
    }

    private static void expectRefusal(RawStompClient client, String frame) throws Exception {
        client.write(frame);
        RawFrame error = client.expectErrorAndClose();
        assertThat(error.header("message")).contains("not authorized");
    }

    private static String send(String destination) {
        return RawStompClient.frameWithBody("SEND", "x", "destination:" + destination, "receipt:s");
    }

    private static String subscribe(String destination) {
        return RawStompClient.frame("SUBSCRIBE", "id:1", "destination:" + destination, "receipt:sub");
    }

    @Test
    void writeOnAnExactQueue() throws Exception {
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, send("/queue/orders"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, send("/queue/orders"));
        }
        assertThat(broker.broker().queue("orders").depth()).isEqualTo(1);
    }

    @Test
    void readOnAnExactQueueAndAWildcardTopic() throws Exception {
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, subscribe("/queue/orders"));
        }
        assertThat(broker.broker().queue("orders")).as("bob may read orders but not create it").isNull();
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, send("/queue/orders"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectReceipt(bob, subscribe("/queue/orders"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectReceipt(bob, subscribe("/topic/sensors.*.temp"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, subscribe("/topic/sensors.>"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, subscribe("/queue/private.x"));
        }
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, subscribe("/queue/private.x"));
        }
    }

    @Test
    void creatingADestinationNeedsAdmin() throws Exception {
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, send("/queue/drop.new"));
        }
        assertThat(broker.broker().queue("drop.new")).isNull();
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, send("/queue/drop.new"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectReceipt(bob, send("/queue/drop.new"));
        }
    }

    @Test
    void temporaryQueuesNeedAdmin() throws Exception {
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, subscribe("/temp-queue/replies"));
            alice.write(send("/temp-queue/replies"));
            // The receipt and the message itself come in either order.
            assertThat(List.of(alice.readFrame().command(), alice.readFrame().command()))
                    .containsExactlyInAnyOrder("RECEIPT", "MESSAGE");
        }
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, subscribe("/temp-queue/replies"));
        }
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, send("/queue/drop.x"));
        }
        try (RawStompClient bob = connect("bob")) {
            expectReceipt(bob, send("/queue/drop.x"));
            bob.write(RawStompClient.frameWithBody("SEND", "x", "destination:/queue/drop.x",
                    "reply-to:/temp-queue/mine", "receipt:s"));
            RawFrame error = bob.expectErrorAndClose();
            assertThat(error.header("message")).as("a reply-to creates the temporary queue")
                    .contains("not authorized").contains("admin temp-queue");
        }
    }

    @Test
    void aReloadedAclAppliesToAConnectedClient() throws Exception {
        try (RawStompClient alice = connect("alice")) {
            expectReceipt(alice, send("/queue/orders"));
        }
        try (RawStompClient bob = connect("bob")) {
            broker.rewriteAcls(Acl.ACLS_BOB_WRITES_ORDERS);
            expectReceipt(bob, send("/queue/orders"));
            broker.rewriteAcls(Acl.ACLS);
            expectRefusal(bob, send("/queue/orders"));
        }
    }

    @Test
    void eachRefusalIsOneAuditLine() throws Exception {
        try (RawStompClient bob = connect("bob")) {
            expectRefusal(bob, send("/queue/private.x"));
        }
        List<String> denied = audit.lines().stream().filter(line -> line.startsWith("AUTHZ")).toList();
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0)).startsWith("AUTHZ DENIED user=bob action=write destination=queue://private.x "
                + "protocol=stomp remote=/127.0.0.1:").doesNotContain("bob-pw");
    }
}
