package io.junction.core.selector;

/**
 * {@code a AND b AND ...}: FALSE if any operand is FALSE (the rest are not evaluated), otherwise
 * UNKNOWN if any is UNKNOWN, otherwise TRUE. The chain is flat so that long ones do not nest.
 */
record And(Expression[] operands) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        boolean unknown = false;
        for (Expression operand : operands) {
            Boolean value = Values.asBoolean(operand.evaluate(message));
            if (value == null) {
                unknown = true;
            } else if (!value) {
                return Boolean.FALSE;
            }
        }
        return unknown ? null : Boolean.TRUE;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
