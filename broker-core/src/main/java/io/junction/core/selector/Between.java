package io.junction.core.selector;

/**
 * {@code value BETWEEN low AND high}, which JMS defines as {@code value >= low AND value <= high};
 * the value is evaluated once. {@code NOT BETWEEN} is the negation of this node, which in
 * three-valued logic equals the spec's {@code value < low OR value > high}.
 */
record Between(Expression value, Expression low, Expression high) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object v = value.evaluate(message);
        if (v == null) {
            return null;
        }
        Boolean aboveLow = ComparisonOperator.GREATER_OR_EQUAL.apply(v, low.evaluate(message));
        if (Boolean.FALSE.equals(aboveLow)) {
            return Boolean.FALSE;
        }
        Boolean belowHigh = ComparisonOperator.LESS_OR_EQUAL.apply(v, high.evaluate(message));
        if (Boolean.FALSE.equals(belowHigh)) {
            return Boolean.FALSE;
        }
        return aboveLow == null || belowHigh == null ? null : Boolean.TRUE;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
