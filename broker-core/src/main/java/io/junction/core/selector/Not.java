package io.junction.core.selector;

/**
 * {@code NOT operand}, where NOT UNKNOWN is UNKNOWN. Also forms NOT BETWEEN, NOT LIKE, NOT IN and
 * IS NOT NULL, which JMS defines as the negations of the positive forms.
 */
record Not(Expression operand) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Boolean value = Values.asBoolean(operand.evaluate(message));
        return value == null ? null : Boolean.valueOf(!value);
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
