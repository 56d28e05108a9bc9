package io.junction.core.selector;

/**
 * A left-associative chain of operators of one precedence level, such as {@code a + b - c},
 * evaluated in a loop so that long chains do not nest deeply.
 */
record Arithmetic(Expression first, ArithmeticOperator[] operators, Expression[] operands)
        implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object result = first.evaluate(message);
        for (int i = 0; i < operators.length && result != null; i++) {
            result = operators[i].apply(result, operands[i].evaluate(message));
        }
        return result;
    }

    @Override
    public ValueType type() {
        return ValueType.NUMERIC;
    }
}
