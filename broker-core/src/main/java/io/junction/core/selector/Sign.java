package io.junction.core.selector;

/** Unary {@code +} or {@code -} on a non-literal; a non-numeric operand gives NULL. */
record Sign(boolean negate, Expression operand) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object value = operand.evaluate(message);
        if (!(value instanceof Number n)) {
            return null;
        }
        if (!negate) {
            return n;
        }
        return Values.isIntegral(n) ? (Object) (-n.longValue()) : (Object) (-n.doubleValue());
    }

    @Override
    public ValueType type() {
        return ValueType.NUMERIC;
    }
}
