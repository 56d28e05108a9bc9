package io.junction.core.model;

/**
 * What the body bytes of a {@link Message} hold. Every kind but {@link #AMQP_VALUE} has a
 * protocol-neutral encoding, so that each protocol module converts it from and to its own:
 *
 * <ul>
 *   <li>{@link #BYTES}: the bytes as sent;</li>
 *   <li>{@link #TEXT}: UTF-8;</li>
 *   <li>{@link #MAP} and {@link #STREAM}: named values and a list of values (JMS MapMessage and
 *       StreamMessage), in the {@link StructuredBody} encoding;</li>
 *   <li>{@link #OBJECT}: a Java-serialized object (JMS ObjectMessage), uncompressed;</li>
 *   <li>{@link #AMQP_VALUE}: an AMQP body section that has no neutral form, AMQP-encoded;</li>
 *   <li>{@link #NONE}: no body at all (a JMS Message of no body type); the body is empty.</li>
 * </ul>
 * The store keeps the ordinal: new kinds go at the end.
 */
public enum BodyType {
    BYTES,
    TEXT,
    MAP,
    STREAM,
    OBJECT,
    AMQP_VALUE,
    NONE
}
