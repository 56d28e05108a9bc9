package io.junction.amqp;

import io.junction.core.spi.BrokerConnection;
import io.junction.core.spi.Transaction;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.transaction.Declare;
import org.apache.qpid.proton.amqp.transaction.Declared;
import org.apache.qpid.proton.amqp.transaction.Discharge;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.transport.DeliveryState;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The transaction coordinator of one connection: declare gives a transaction id for a new broker
 * transaction; transactional sends and acceptances join it; discharge commits or rolls it back.
 * Used on the connection's event loop only.
 */
final class AmqpTransactions {

    private final BrokerConnection broker;
    private final Map<Binary, Transaction> open = new HashMap<>();
    private long lastId;

    AmqpTransactions(BrokerConnection broker) {
        this.broker = broker;
    }

    /**
     * Handles a message sent to the coordinator: a Declare (answered with Declared) or a Discharge
     * (answered once the commit is durable). Completes with the outcome to give the client.
     */
    CompletionStage<DeliveryState> control(org.apache.qpid.proton.message.Message message) {
        Object value = message.getBody() instanceof AmqpValue v ? v.getValue() : null;
        if (value instanceof Declare) {
            Binary id = new Binary(ByteBuffer.allocate(Long.BYTES).putLong(++lastId).array());
            open.put(id, broker.beginTransaction());
            Declared declared = new Declared();
            declared.setTxnId(id);
            return CompletableFuture.completedFuture(declared);
        }
        if (value instanceof Discharge discharge) {
            Transaction transaction = open.remove(discharge.getTxnId());
            if (transaction == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("unknown transaction"));
            }
            if (Boolean.TRUE.equals(discharge.getFail())) {
                transaction.rollback();
                return CompletableFuture.completedFuture(org.apache.qpid.proton.amqp.messaging.Accepted.getInstance());
            }
            return transaction.commit().thenApply(ok -> org.apache.qpid.proton.amqp.messaging.Accepted.getInstance());
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("neither declare nor discharge"));
    }

    /** The transaction a delivery state names, or null when it is not transactional. */
    Transaction of(DeliveryState state) {
        return state instanceof TransactionalState t ? open.get(t.getTxnId()) : null;
    }

    /** Open transactions roll back when the connection ends (the broker does that too). */
    void rollbackAll() {
        open.values().forEach(Transaction::rollback);
        open.clear();
    }
}
