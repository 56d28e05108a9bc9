package io.junction.core.selector;

/**
 * The binary arithmetic operators. Integral operands are computed as long (wrapping on overflow, as
 * Java does), anything involving a Float or Double as double. A non-numeric or missing operand, and
 * integral division by zero, give NULL rather than an exception.
 */
enum ArithmeticOperator {
    ADD("+") {
        @Override
        Object apply(long a, long b) {
            return a + b;
        }

        @Override
        double apply(double a, double b) {
            return a + b;
        }
    },
    SUBTRACT("-") {
        @Override
        Object apply(long a, long b) {
            return a - b;
        }

        @Override
        double apply(double a, double b) {
            return a - b;
        }
    },
    MULTIPLY("*") {
        @Override
        Object apply(long a, long b) {
            return a * b;
        }

        @Override
        double apply(double a, double b) {
            return a * b;
        }
    },
    DIVIDE("/") {
        @Override
        Object apply(long a, long b) {
            return b == 0 ? null : a / b;
        }

        @Override
        double apply(double a, double b) {
            return a / b;
        }
    };

    private final String symbol;

    ArithmeticOperator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    /** Returns a Long, or null for an undefined result. */
    abstract Object apply(long a, long b);

    abstract double apply(double a, double b);

    Object apply(Object left, Object right) {
        if (!(left instanceof Number l) || !(right instanceof Number r)) {
            return null;
        }
        if (Values.isIntegral(l) && Values.isIntegral(r)) {
            return apply(l.longValue(), r.longValue());
        }
        return apply(l.doubleValue(), r.doubleValue());
    }
}
