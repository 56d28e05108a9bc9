package io.junction.core.model;

/**
 * What the body bytes of a {@link Message} hold. TEXT bodies are UTF-8. The structured kinds
 * (map, stream, object, AMQP value) keep the encoding of the protocol that produced them, named
 * by the message's original format.
 */
public enum BodyType {
    BYTES,
    TEXT,
    MAP,
    STREAM,
    OBJECT,
    AMQP_VALUE
}
