package io.junction.core.selector;

enum TokenType {
    IDENTIFIER,
    STRING,
    /** An integer literal: decimal, hexadecimal ({@code 0x}) or octal (leading {@code 0}). */
    EXACT_NUMBER,
    /** A literal with a decimal point, an exponent or an F/D suffix. */
    APPROXIMATE_NUMBER,
    TRUE,
    FALSE,
    NULL,
    NOT,
    AND,
    OR,
    BETWEEN,
    LIKE,
    IN,
    IS,
    ESCAPE,
    EQUAL,
    NOT_EQUAL,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    LEFT_PAREN,
    RIGHT_PAREN,
    COMMA,
    END
}
