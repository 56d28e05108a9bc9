package io.junction.core.selector;

/** {@code identifier IS NULL}: never UNKNOWN, so {@code IS NOT NULL} is simply its negation. */
record IsNull(Identifier identifier) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        return identifier.evaluate(message) == null;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
