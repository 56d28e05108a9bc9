package io.junction.core.boot;

import io.junction.core.spi.StateStore;
import io.junction.core.store.MessageStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** A protocol's state namespace in the message store's typed state records. */
final class StoreBackedState implements StateStore {

    private final MessageStore store;
    private final String namespace;

    StoreBackedState(MessageStore store, String namespace) {
        this.store = store;
        this.namespace = namespace;
    }

    @Override
    public Map<String, byte[]> load() {
        try {
            return store.recoveredState().getOrDefault(namespace, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored state of " + namespace, e);
        }
    }

    @Override
    public CompletionStage<Void> put(String key, byte[] value) {
        return store.putState(namespace, key, value);
    }

    @Override
    public CompletionStage<Void> remove(String key) {
        return store.removeState(namespace, key);
    }
}
