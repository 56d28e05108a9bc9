package io.junction.core.selector;

/**
 * A node of a parsed selector. Nodes are immutable, so a parsed selector is safe to share between
 * threads.
 */
interface Expression {

    /**
     * The value for one message: a String, a Boolean, a number (Byte, Short, Integer, Long, Float
     * or Double) or null, which stands for both SQL NULL and the logical UNKNOWN.
     */
    Object evaluate(SelectorContext message);

    /** What the parser can tell about the value before any message is seen. */
    ValueType type();
}
