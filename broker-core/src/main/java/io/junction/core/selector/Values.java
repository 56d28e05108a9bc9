package io.junction.core.selector;

/** Classification of runtime values, shared by the operators. */
final class Values {

    private Values() {
    }

    /** True for the value types a selector can see; anything else counts as absent. */
    static boolean isSupported(Object value) {
        return value instanceof String
                || value instanceof Boolean
                || isIntegral(value)
                || value instanceof Double
                || value instanceof Float;
    }

    /** Byte, Short, Integer and Long, which JMS compares and computes with as long. */
    static boolean isIntegral(Object value) {
        return value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte;
    }

    /** The truth value of an operand of NOT, AND or OR: anything but a Boolean is UNKNOWN. */
    static Boolean asBoolean(Object value) {
        return value instanceof Boolean b ? b : null;
    }
}
