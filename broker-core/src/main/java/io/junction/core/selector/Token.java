package io.junction.core.selector;

/**
 * One token of a selector.
 *
 * @param text the token as written in the selector (empty for {@link TokenType#END})
 * @param value the content of a string literal, with doubled quotes undone; null for other tokens
 * @param column the 1-based position of the token's first character
 */
record Token(TokenType type, String text, String value, int column) {

    /** The token as an error message names it. */
    String describe() {
        return switch (type) {
            case END -> "end of input";
            case STRING -> "string " + text;
            case IDENTIFIER -> "identifier '" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
