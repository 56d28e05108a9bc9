package io.junction.core.selector;

/** {@code identifier LIKE pattern}; a missing or non-string value is UNKNOWN. */
record Like(Identifier identifier, LikePattern pattern) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object value = identifier.evaluate(message);
        return value instanceof String s ? Boolean.valueOf(pattern.matches(s)) : null;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
