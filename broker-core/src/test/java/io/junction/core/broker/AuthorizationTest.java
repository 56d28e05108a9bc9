package io.junction.core.broker;

import io.junction.core.config.UsersReader;
import io.junction.core.model.Destination;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.NotAuthorizedException;
import io.junction.core.spi.Principal;
import io.junction.core.spi.Transaction;
import io.junction.core.security.Acls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ACLs are enforced in the core, for every protocol alike, on a connection's principal. */
class AuthorizationTest extends BrokerTestSupport {

    private final AtomicReference<Acls> acls = new AtomicReference<>(Acls.NONE);
    private BrokerConnection alice;
    private BrokerConnection bob;

    @BeforeEach
    void connectUsers() throws Exception {
        broker.acls(acls::get);
        acls.set(UsersReader.parse("users.yaml", """
                acls:
                  - match: orders.>
                    type: queue
                    read: [apps]
                    write: [apps, "user:bob"]
                    admin: [user:alice]
                  - match: prices.*
                    type: topic
                    read: [apps]
                    write: [apps]
                    admin: [apps]
                """).acls());
        alice = broker.openConnection("test", null, null, new Principal("alice", Set.of("apps"), false));
        bob = broker.openConnection("test", null, null, new Principal("bob", Set.of(), false));
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<Void> sent) {
        try {
            sent.toCompletableFuture().join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void writeNeedsWriteAndCreatingNeedsAdmin() {
        assertThat(failure(bob.send(text(queue("orders.eu"), "first")))).as("bob may write but not create")
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("admin");
        assertThat(failure(alice.send(text(queue("orders.eu"), "created")))).isNull();
        assertThat(failure(bob.send(text(queue("orders.eu"), "now it exists")))).isNull();
        assertThat(failure(bob.send(text(queue("invoices"), "x")))).as("no entry: default deny")
                .isInstanceOf(NotAuthorizedException.class);
        assertThat(broker.queue("invoices")).isNull();
        assertThat(broker.authorizationRefusals()).isEqualTo(2);
    }

    @Test
    void aCompositeNeedsWriteOnEveryMember() {
        send(alice, queue("orders.a"), "create");
        assertThat(failure(alice.send(text(Destination.queue("orders.a,invoices"), "x"))))
                .isInstanceOf(NotAuthorizedException.class);
        assertThat(queueInfo("orders.a").depth()).as("nothing of the refused composite is routed").isEqualTo(1);
    }

    @Test
    void readIsCheckedOnSubscribeBrowseAndWildcardPatterns() throws Exception {
        send(alice, queue("orders.a"), "m");
        assertThatThrownBy(() -> subscribe(bob, queue("orders.a"))).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> bob.browse(queue("orders.a"), null)).isInstanceOf(NotAuthorizedException.class);
        assertThat(receiveAcknowledging(subscribe(alice, queue("orders.a")), 1)).containsExactly("m");

        subscribe(alice, topic("prices.*"));
        assertThatThrownBy(() -> subscribe(alice, topic("prices.>")))
                .as("prices.> also matches prices.a.b, which no entry grants")
                .isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void aTransactionalSendIsCheckedToo() throws Exception {
        Transaction transaction = bob.beginTransaction();
        assertThatThrownBy(() -> transaction.send(text(queue("invoices"), "x")))
                .isInstanceOf(NotAuthorizedException.class);
        transaction.rollback();
    }

    @Test
    void connectionsWithoutAPrincipalAndNoAclsAreNotChecked() throws Exception {
        BrokerConnection internal = broker.internalConnection("mqtt");
        assertThat(failure(internal.send(text(topic("$SYS.broker.uptime"), "1")))).isNull();
        acls.set(Acls.NONE);
        assertThat(failure(bob.send(text(queue("invoices"), "x")))).isNull();
    }

    @Test
    void aChangedAclAppliesToConnectedClients() {
        assertThat(failure(bob.send(text(queue("invoices"), "x")))).isInstanceOf(NotAuthorizedException.class);
        acls.set(UsersReader.parse("users.yaml", "acls:\n  - match: \">\"\n    write: [\"*\"]\n    admin: [\"*\"]\n")
                .acls());
        assertThat(failure(bob.send(text(queue("invoices"), "x")))).isNull();
    }
}
