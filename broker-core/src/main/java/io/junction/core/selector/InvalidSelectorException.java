package io.junction.core.selector;

/**
 * A selector that does not follow the JMS message selector syntax. The message names the selector,
 * the 1-based column of the problem and the problem itself, for example
 * {@code Invalid selector "a = " at column 5: expected an operand but found end of input}.
 */
public final class InvalidSelectorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String selector;
    private final int column;
    private final String reason;

    public InvalidSelectorException(String selector, int column, String reason) {
        super("Invalid selector \"" + selector + "\" at column " + column + ": " + reason);
        this.selector = selector;
        this.column = column;
        this.reason = reason;
    }

    /** The selector text as given. */
    public String selector() {
        return selector;
    }

    /** The 1-based position in the selector text (counted in UTF-16 chars) of the problem. */
    public int column() {
        return column;
    }

    /** The problem, without the selector and column. */
    public String reason() {
        return reason;
    }
}
