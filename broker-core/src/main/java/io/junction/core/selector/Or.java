package io.junction.core.selector;

/**
 * {@code a OR b OR ...}: TRUE if any operand is TRUE (the rest are not evaluated), otherwise
 * UNKNOWN if any is UNKNOWN, otherwise FALSE. The chain is flat so that long ones do not nest.
 */
record Or(Expression[] operands) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        boolean unknown = false;
        for (Expression operand : operands) {
            Boolean value = Values.asBoolean(operand.evaluate(message));
            if (value == null) {
                unknown = true;
            } else if (value) {
                return Boolean.TRUE;
            }
        }
        return unknown ? null : Boolean.FALSE;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }
}
