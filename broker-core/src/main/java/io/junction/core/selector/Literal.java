package io.junction.core.selector;

/** A string, exact numeric (Long), approximate numeric (Double) or boolean literal. */
record Literal(Object value) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        return value;
    }

    @Override
    public ValueType type() {
        if (value instanceof String) {
            return ValueType.STRING;
        }
        return value instanceof Boolean ? ValueType.BOOLEAN : ValueType.NUMERIC;
    }

    /** Unary minus applied at parse time, with Java's wrap-around for Long.MIN_VALUE. */
    Literal negate() {
        return new Literal(value instanceof Long l ? (Object) (-l) : (Object) (-(Double) value));
    }
}
