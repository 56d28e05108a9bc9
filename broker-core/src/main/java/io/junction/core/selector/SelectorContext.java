package io.junction.core.selector;

/**
 * The message as a selector sees it: a lookup of header fields and user properties by the
 * identifier written in the selector.
 *
 * <p>The selector engine does not know which identifiers are JMS headers; the implementation maps
 * {@code JMSPriority}, {@code JMSType}, {@code JMSDeliveryMode} ({@code 'PERSISTENT'} or
 * {@code 'NON_PERSISTENT'}) and so on. An identifier may be looked up more than once per
 * evaluation (for example {@code a = 1 OR a = 2}), so lookups should be cheap and free of side
 * effects.
 */
@FunctionalInterface
public interface SelectorContext {

    /**
     * The value of a header field or user property, by identifier exactly as written in the
     * selector (identifiers are case-sensitive), or {@code null} when absent. Values of type
     * String, Boolean, Byte, Short, Integer, Long, Float and Double take part in the selection; a
     * value of any other type is treated as absent.
     */
    Object value(String identifier);
}
