package io.junction.core.selector;

/** {@code left op right} for one of the six comparison operators. */
record Comparison(ComparisonOperator operator, Expression left, Expression right)
        implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object l = left.evaluate(message);
        return l == null ? null : operator.apply(l, right.evaluate(message));
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
