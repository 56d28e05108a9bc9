package io.junction.core.selector;

/**
 * The static type of an expression, used by the parser to reject selectors that are wrong whatever
 * the message, such as {@code 'a' + 1} or a selector that is just {@code 1 + 2}.
 */
enum ValueType {
    BOOLEAN("a condition"),
    NUMERIC("a numeric expression"),
    STRING("a string"),
    /** An identifier: its type is only known per message. */
    ANY("an identifier");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    boolean canBeCondition() {
        return this == BOOLEAN || this == ANY;
    }

    boolean canBeNumeric() {
        return this == NUMERIC || this == ANY;
    }

    String description() {
        return description;
    }
}
