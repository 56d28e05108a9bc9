package io.junction.core.broker;

import io.junction.core.model.Destination;
import io.junction.core.model.DestinationType;
import io.junction.core.model.Message;
import io.junction.core.security.Acls;
import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Principal;
import io.junction.core.spi.BrokerException;
import io.junction.core.spi.Consumer;
import io.junction.core.spi.NotAuthorizedException;
import io.junction.core.spi.ConsumerCallback;
import io.junction.core.spi.SubscriptionSpec;
import io.junction.core.spi.Transaction;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The broker's side of one client connection: what it owns and must release when it closes. */
final class ClientConnection implements BrokerConnection {

    private final Broker broker;
    private final String id;
    private final String protocol;
    private final SocketAddress remoteAddress;
    private final String clientId;
    private final Set<ConnectionConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final AtomicLong consumerIds = new AtomicLong();
    private final Set<LocalTransaction> transactions = ConcurrentHashMap.newKeySet();
    private final Map<String, Destination> temporaries = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Who the client authenticated as; null for the broker's own and for test connections. */
    private final Principal principal;

    ClientConnection(Broker broker, String id, String protocol, SocketAddress remoteAddress, String clientId) {
        this(broker, id, protocol, remoteAddress, clientId, null);
    }

    ClientConnection(Broker broker, String id, String protocol, SocketAddress remoteAddress, String clientId,
                     Principal principal) {
        this.principal = principal;
        this.broker = broker;
        this.id = id;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.clientId = clientId;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** Who the client authenticated as, or null; for authorization. */
    Principal principal() {
        return principal;
    }

    /** What no-local subscriptions compare with {@link Message#sender()}. */
    String senderId() {
        return clientId != null ? clientId : id;
    }

    String protocol() {
        return protocol;
    }

    SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public CompletionStage<Void> send(Message message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new BrokerException("connection is closed"));
        }
        try {
            broker.authorizeSend(this, message.destination());
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        message.assignSender(senderId());
        return broker.send(message);
    }

    @Override
    public CompletionStage<Void> sendRetained(Message message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new BrokerException("connection is closed"));
        }
        try {
            broker.authorizeSend(this, message.destination());
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        message.assignSender(senderId());
        return broker.sendRetained(message);
    }

    @Override
    public CompletionStage<List<Message>> browse(Destination queue, String selector) throws BrokerException {
        broker.authorize(this, Acls.Action.READ, queue);
        return broker.browse(this, queue, selector);
    }

    @Override
    public List<Message> retainedMessages(Destination pattern) throws BrokerException {
        return broker.retainedMessages(pattern);
    }

    @Override
    public Consumer subscribe(SubscriptionSpec spec, ConsumerCallback callback) throws BrokerException {
        if (closed.get()) {
            throw new BrokerException("connection is closed");
        }
        broker.authorizeSubscribe(this, spec.destination());
        ConnectionConsumer consumer = new ConnectionConsumer(broker.subscribe(this, spec, callback),
                spec.destination(), id + "." + consumerIds.incrementAndGet(), callback);
        consumers.add(consumer);
        broker.consumerOpened(consumer.destination, consumer.id);
        return consumer;
    }

    /** A consumer of this connection: closing it forgets it here and tells the broker's listeners. */
    private final class ConnectionConsumer implements Consumer {

        private final Consumer consumer;
        private final Destination destination;
        private final String id;
        private final ConsumerCallback callback;
        private final AtomicBoolean closed = new AtomicBoolean();

        ConnectionConsumer(Consumer consumer, Destination destination, String id, ConsumerCallback callback) {
            this.consumer = consumer;
            this.destination = destination;
            this.id = id;
            this.callback = callback;
        }

        @Override
        public CompletionStage<Void> ack(long deliveryId) {
            return consumer.ack(deliveryId);
        }

        @Override
        public void ackAll(long[] deliveryIds, int count) {
            consumer.ackAll(deliveryIds, count);
        }

        @Override
        public void ack(long deliveryId, Transaction transaction) {
            consumer.ack(deliveryId, transaction);
        }

        @Override
        public void addCredit(int credit) {
            consumer.addCredit(credit);
        }

        @Override
        public void handedToApplication(int count) {
            consumer.handedToApplication(count);
        }

        @Override
        public void reject(long deliveryId, String reason) {
            consumer.reject(deliveryId, reason);
        }

        @Override
        public void nack(long deliveryId) {
            consumer.nack(deliveryId);
        }

        @Override
        public void close() {
            close(new long[0]);
        }

        @Override
        public void close(long[] neverSeen) {
            closeIfOpen(neverSeen);
        }

        /** Closes the consumer; false when it was closed already. */
        boolean closeIfOpen(long[] neverSeen) {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
            consumers.remove(this);
            consumer.close(neverSeen);
            broker.consumerClosed(destination, id);
            return true;
        }
    }

    @Override
    public void unsubscribeDurable(String subscriptionName) throws BrokerException {
        broker.unsubscribeDurable(this, subscriptionName);
    }

    @Override
    public Destination temporaryDestination(DestinationType type, String localName) throws NotAuthorizedException {
        if (!type.isTemporary()) {
            throw new IllegalArgumentException(type + " is not a temporary destination type");
        }
        return createTemporary(type.prefix() + localName, new Destination(type, id + "." + localName));
    }

    @Override
    public Destination temporaryDestinationNamed(Destination destination) throws NotAuthorizedException {
        if (!destination.type().isTemporary()) {
            throw new IllegalArgumentException(destination + " is not a temporary destination");
        }
        return createTemporary("named:" + destination, destination);
    }

    /** The temporary destination under the key, created (which takes {@code admin}) when new. */
    private Destination createTemporary(String key, Destination destination) throws NotAuthorizedException {
        if (closed.get()) {
            throw new IllegalStateException("connection is closed");
        }
        Destination existing = temporaries.get(key);
        if (existing != null) {
            return existing;
        }
        broker.authorize(this, Acls.Action.ADMIN, destination);
        return temporaries.computeIfAbsent(key, k -> {
            broker.createTemporary(destination, this);
            return destination;
        });
    }

    @Override
    public void deleteTemporaryDestination(Destination destination) throws BrokerException {
        if (!temporaries.containsValue(destination)) {
            throw new BrokerException("temporary destination " + destination + " is not this connection's");
        }
        for (ConnectionConsumer consumer : consumers) {
            if (consumer.destination.equals(destination)) {
                throw new BrokerException("temporary destination " + destination + " still has a consumer");
            }
        }
        temporaries.values().remove(destination);
        broker.deleteTemporary(destination, "temporary destination deleted by its connection");
    }

    @Override
    public Transaction beginTransaction() {
        LocalTransaction transaction = new LocalTransaction(broker, this);
        transactions.add(transaction);
        return transaction;
    }

    void transactionEnded(LocalTransaction transaction) {
        transactions.remove(transaction);
    }

    @Override
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Close the consumers first, so that nothing the rollback gives back is delivered to them
        // again; the rollback then returns the transactionally acked messages they still hold.
        for (ConnectionConsumer consumer : new ArrayList<>(consumers)) {
            consumer.close();
        }
        for (LocalTransaction transaction : new ArrayList<>(transactions)) {
            transaction.rollback();
        }
        for (Destination temporary : temporaries.values()) {
            broker.deleteTemporary(temporary, "temporary destination deleted with its connection");
        }
        broker.connectionClosed(this, reason);
    }

    /**
     * Closes the consumers whose destination the ACLs no longer let this connection's user read,
     * and tells their protocol as for a deleted destination.
     *
     * @return the destinations of the consumers closed
     */
    List<Destination> closeUnreadable(Acls acls) {
        List<Destination> revoked = new ArrayList<>();
        if (principal == null || acls.isEmpty()) {
            return revoked;
        }
        for (ConnectionConsumer consumer : consumers) {
            Destination destination = consumer.destination;
            // Composites are checked member by member when they are sent to, not subscribed as a whole.
            if (destination.isComposite() || destination.isTemporary() && owns(destination)
                    || acls.allows(principal, Acls.Action.READ, destination)) {
                continue;
            }
            if (consumer.closeIfOpen(new long[0])) {
                consumer.callback.closedByBroker("the permission to read " + destination + " was withdrawn");
                revoked.add(destination);
            }
        }
        return revoked;
    }

    boolean owns(Destination temporary) {
        return temporaries.containsValue(temporary);
    }
}
