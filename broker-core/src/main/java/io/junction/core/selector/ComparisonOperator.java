package io.junction.core.selector;

/**
 * The comparison operators. Numbers compare with Java numeric promotion (integral types as long,
 * otherwise as double, so NaN is unequal to everything). Strings and booleans support only
 * {@code =} and {@code <>}. Anything else, including a missing operand or operands of unlike types,
 * is UNKNOWN.
 */
enum ComparisonOperator {
    EQUAL("=") {
        @Override
        boolean test(long a, long b) {
            return a == b;
        }

        @Override
        boolean test(double a, double b) {
            return a == b;
        }
    },
    NOT_EQUAL("<>") {
        @Override
        boolean test(long a, long b) {
            return a != b;
        }

        @Override
        boolean test(double a, double b) {
            return a != b;
        }
    },
    LESS("<") {
        @Override
        boolean test(long a, long b) {
            return a < b;
        }

        @Override
        boolean test(double a, double b) {
            return a < b;
        }
    },
    LESS_OR_EQUAL("<=") {
        @Override
        boolean test(long a, long b) {
            return a <= b;
        }

        @Override
        boolean test(double a, double b) {
            return a <= b;
        }
    },
    GREATER(">") {
        @Override
        boolean test(long a, long b) {
            return a > b;
        }

        @Override
        boolean test(double a, double b) {
            return a > b;
        }
    },
    GREATER_OR_EQUAL(">=") {
        @Override
        boolean test(long a, long b) {
            return a >= b;
        }

        @Override
        boolean test(double a, double b) {
            return a >= b;
        }
    };

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    /** {@code =} and {@code <>}, the only comparisons defined for strings and booleans. */
    boolean isEquality() {
        return this == EQUAL || this == NOT_EQUAL;
    }

    abstract boolean test(long a, long b);

    abstract boolean test(double a, double b);

    /** TRUE, FALSE, or null for UNKNOWN. */
    Boolean apply(Object left, Object right) {
        if (left == null || right == null) {
            return null;
        }
        if (left instanceof Number l && right instanceof Number r) {
            return Values.isIntegral(l) && Values.isIntegral(r)
                    ? test(l.longValue(), r.longValue())
                    : test(l.doubleValue(), r.doubleValue());
        }
        if (!isEquality() || left.getClass() != right.getClass()) {
            return null;
        }
        return left.equals(right) == (this == EQUAL);
    }
}
