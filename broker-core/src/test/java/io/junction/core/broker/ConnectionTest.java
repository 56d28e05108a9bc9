package io.junction.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.BrokerException;
import io.junction.core.security.ConnectionsPerUser;
import io.junction.core.security.Users;
import io.junction.core.spi.Principal;
import io.junction.core.spi.TooManyConnectionsException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Client ids and the temporary destinations a connection owns. */
class ConnectionTest extends BrokerTestSupport {

    @Test
    void aClientIdMayBeConnectedOnlyOnce() throws Exception {
        BrokerConnection first = connect("app");

        assertThatThrownBy(() -> connect("app"))
                .isInstanceOf(BrokerException.class).hasMessageContaining("'app' is already connected");
        assertThat(broker.connectionCount()).isEqualTo(1);

        first.close("done");
        assertThat(connect("app").clientId()).isEqualTo("app");
    }

    @Test
    void aUserPastItsConnectionLimitIsRefusedUntilOneOfItsConnectionsCloses() throws Exception {
        broker.connectionsPerUser(new ConnectionsPerUser(1, () -> Users.NONE));
        Principal alice = new Principal("alice", Set.of(), false);
        BrokerConnection first = broker.openConnection("test", null, null, alice);

        assertThatThrownBy(() -> broker.openConnection("test", null, null, alice))
                .isInstanceOf(TooManyConnectionsException.class).hasMessageContaining("user 'alice' has 1 connection");
        broker.openConnection("test", null, null, new Principal("bob", Set.of(), false));
        assertThat(broker.connectionCount()).isEqualTo(2);

        first.close("done");
        first.close("closed twice, counted once");
        broker.openConnection("test", null, null, alice);
        assertThatThrownBy(() -> broker.openConnection("test", null, null, alice))
                .isInstanceOf(TooManyConnectionsException.class);
    }

    @Test
    void aClientIdRefusalDoesNotUseUpTheUsersRoom() throws Exception {
        broker.connectionsPerUser(new ConnectionsPerUser(2, () -> Users.NONE));
        Principal alice = new Principal("alice", Set.of(), false);
        broker.openConnection("test", null, "app", alice);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> broker.openConnection("test", null, "app", alice))
                    .isInstanceOf(BrokerException.class).hasMessageContaining("already connected");
        }
        broker.openConnection("test", null, "other", alice);
    }

    @Test
    void connectionsWithoutClientIdDoNotConflict() throws Exception {
        connect();
        connect();

        assertThat(broker.connectionCount()).isEqualTo(2);
    }

    @Test
    void temporaryQueueServesItsOwnerAndTakesSendsFromOthers() throws Exception {
        BrokerConnection owner = connect();
        Destination replies = owner.temporaryDestination(DestinationType.TEMP_QUEUE, "replies");
        RecordingConsumer consumer = subscribe(owner, replies);

        send(connect(), replies, "reply");

        assertThat(consumer.awaitDelivery(0).message().bodyAsText()).isEqualTo("reply");
        assertThat(owner.temporaryDestination(DestinationType.TEMP_QUEUE, "replies")).isEqualTo(replies);
        assertThat(replies.name()).contains(owner.id());
    }

    @Test
    void anotherConnectionCannotConsumeFromATemporaryQueue() throws Exception {
        Destination replies = connect().temporaryDestination(DestinationType.TEMP_QUEUE, "replies");
        BrokerConnection stranger = connect();

        assertThatThrownBy(() -> subscribe(stranger, replies))
                .isInstanceOf(BrokerException.class).hasMessageContaining("belongs to another connection");
    }

    @Test
    void temporaryQueueIsDeletedWithItsConnection() throws Exception {
        BrokerConnection owner = connect();
        Destination replies = owner.temporaryDestination(DestinationType.TEMP_QUEUE, "replies");
        BrokerConnection other = connect();
        send(other, replies, "unread");
        settle();
        assertThat(queueInfo(replies.name()).depth()).isEqualTo(1);

        owner.close("done");
        settle();

        assertThat(broker.queue(replies.name())).isNull();
        assertThat(other.send(text(replies, "too late")).toCompletableFuture())
                .failsWithin(RecordingConsumer.WAIT)
                .withThrowableThat().havingCause().isInstanceOf(BrokerException.class)
                .withMessageContaining("does not exist");
    }

    @Test
    void temporaryTopicIsDeletedWithItsConnection() throws Exception {
        BrokerConnection owner = connect();
        Destination events = owner.temporaryDestination(DestinationType.TEMP_TOPIC, "events");

        owner.close("done");

        assertThat(connect().send(text(events, "too late")).toCompletableFuture())
                .failsWithin(RecordingConsumer.WAIT)
                .withThrowableThat().havingCause().isInstanceOf(BrokerException.class);
    }

    @Test
    void closedConnectionCannotSubscribe() throws Exception {
        BrokerConnection connection = connect();
        connection.close("done");

        assertThatThrownBy(() -> subscribe(connection, queue("orders")))
                .isInstanceOf(BrokerException.class).hasMessageContaining("closed");
    }

    @Test
    void temporaryDestinationNeedsATemporaryType() throws Exception {
        BrokerConnection connection = connect();

        assertThatThrownBy(() -> connection.temporaryDestination(DestinationType.QUEUE, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
