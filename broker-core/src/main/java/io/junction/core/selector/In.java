package io.junction.core.selector;

import java.util.Set;

/** {@code identifier IN ('a', 'b')}; a missing or non-string value is UNKNOWN. */
record In(Identifier identifier, Set<String> values) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object value = identifier.evaluate(message);
        return value instanceof String s ? Boolean.valueOf(values.contains(s)) : null;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
