package io.junction.core.selector;

import java.util.Objects;

/**
 * A JMS message selector (JMS 2.0 / Jakarta Messaging 3.1, section 3.8.1): parsed once, then
 * evaluated against any number of messages, from any number of threads.
 *
 * <p>Evaluation follows SQL three-valued logic: a comparison with a missing property is UNKNOWN,
 * and a message is selected only when the whole selector is TRUE. Comparing values of unlike
 * types (a number with a string, say) is also UNKNOWN, so {@code NOT (n = 'x')} does not select a
 * message whose {@code n} is numeric.
 *
 * <p>Per JMS, an absent or empty selector means "no selector". {@link #parse} does not model that
 * case: callers check {@link #isEmpty} first and skip selection when it returns true.
 */
public final class Selector {

    private final String text;
    private final Expression expression;

    private Selector(String text, Expression expression) {
        this.text = text;
        this.expression = expression;
    }

    /**
     * Parses a selector.
     *
     * @throws InvalidSelectorException when the text is not a valid selector, including when it is
     *     empty or blank (check {@link #isEmpty} first)
     * @throws NullPointerException when {@code text} is null
     */
    public static Selector parse(String text) throws InvalidSelectorException {
        Objects.requireNonNull(text, "selector text is null; check Selector.isEmpty first");
        return new Selector(text, new Parser(text).parse());
    }

    /**
     * True when {@code text} is null or holds only whitespace, which JMS treats as "no selector":
     * the consumer receives every message and no {@code Selector} should be parsed.
     */
    public static boolean isEmpty(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Lexer.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True only when the selector is TRUE for the message; FALSE and UNKNOWN are both false. */
    public boolean matches(SelectorContext message) {
        return Boolean.TRUE.equals(expression.evaluate(message));
    }

    /** The selector text as given to {@link #parse}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
