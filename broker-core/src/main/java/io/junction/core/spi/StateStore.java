package io.junction.core.spi;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A protocol's own durable state (MQTT sessions, for example), kept by the broker's store as
 * opaque values under string keys in the protocol's namespace. A value is replaced whole; the
 * stages complete once the change is on disk.
 */
public interface StateStore {

    /** The values stored under this namespace, read from the store; meant for start-up. */
    Map<String, byte[]> load();

    CompletionStage<Void> put(String key, byte[] value);

    CompletionStage<Void> remove(String key);
}
