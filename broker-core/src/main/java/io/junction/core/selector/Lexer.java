package io.junction.core.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Splits a selector into tokens, rejecting characters and literals that JMS does not allow. */
final class Lexer {

    /** Reserved words, matched case-insensitively; they cannot be used as identifiers. */
    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("NULL", TokenType.NULL),
            Map.entry("TRUE", TokenType.TRUE),
            Map.entry("FALSE", TokenType.FALSE),
            Map.entry("NOT", TokenType.NOT),
            Map.entry("AND", TokenType.AND),
            Map.entry("OR", TokenType.OR),
            Map.entry("BETWEEN", TokenType.BETWEEN),
            Map.entry("LIKE", TokenType.LIKE),
            Map.entry("IN", TokenType.IN),
            Map.entry("IS", TokenType.IS),
            Map.entry("ESCAPE", TokenType.ESCAPE));

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    /** The tokens of {@code text}, always ending with an {@link TokenType#END} token. */
    static List<Token> tokenize(String text) throws InvalidSelectorException {
        Lexer lexer = new Lexer(text);
        lexer.run();
        return lexer.tokens;
    }

    /** JMS whitespace is Java's: space, horizontal tab, form feed and line terminators. */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
    }

    private void run() throws InvalidSelectorException {
        while (true) {
            while (pos < text.length() && isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (pos == text.length()) {
                tokens.add(new Token(TokenType.END, "", null, pos + 1));
                return;
            }
            char c = text.charAt(pos);
            if (c == '\'') {
                string();
            } else if (isDigit(c) || (c == '.' && isDigit(charAt(pos + 1)))) {
                number();
            } else if (Character.isJavaIdentifierStart(text.codePointAt(pos))) {
                word();
            } else {
                operator(c);
            }
        }
    }

    private void string() throws InvalidSelectorException {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            int quote = text.indexOf('\'', pos);
            if (quote < 0) {
                throw error(start, "unterminated string literal");
            }
            value.append(text, pos, quote);
            pos = quote + 1;
            if (pos < text.length() && text.charAt(pos) == '\'') {
                value.append('\'');
                pos++;
            } else {
                break;
            }
        }
        String source = text.substring(start, pos);
        tokens.add(new Token(TokenType.STRING, source, value.toString(), start + 1));
    }

    /**
     * Java literal syntax: integers in decimal, hex or octal with an optional L suffix; floating
     * point with a decimal point, an exponent or an F/D suffix. Values are converted by the parser,
     * which knows whether a minus sign precedes the literal.
     */
    private void number() throws InvalidSelectorException {
        int start = pos;
        TokenType type = TokenType.EXACT_NUMBER;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            pos += 2;
            if (skipDigits(16) == 0) {
                throw error(start, "malformed hexadecimal number");
            }
            skipAny("lL");
        } else {
            int digits = skipDigits(10);
            if (skipAny(".")) {
                type = TokenType.APPROXIMATE_NUMBER;
                skipDigits(10);
            }
            if (skipAny("eE")) {
                type = TokenType.APPROXIMATE_NUMBER;
                skipAny("+-");
                if (skipDigits(10) == 0) {
                    throw error(start, "malformed exponent in number");
                }
            }
            if (skipAny("fFdD")) {
                type = TokenType.APPROXIMATE_NUMBER;
            } else if (type == TokenType.EXACT_NUMBER) {
                skipAny("lL");
            }
            if (type == TokenType.EXACT_NUMBER && digits > 1 && text.charAt(start) == '0'
                    && !isOctal(text.substring(start + 1, start + digits))) {
                throw error(start, "invalid octal number (a leading 0 means octal)");
            }
        }
        // Java would not split "12abc" or "1.2.3" into several tokens either.
        boolean glued = pos < text.length()
                && (charAt(pos) == '.' || Character.isJavaIdentifierPart(text.codePointAt(pos)));
        if (glued) {
            throw error(start, "malformed number");
        }
        tokens.add(new Token(type, text.substring(start, pos), null, start + 1));
    }

    private void word() {
        int start = pos;
        while (pos < text.length() && Character.isJavaIdentifierPart(text.codePointAt(pos))) {
            pos += Character.charCount(text.codePointAt(pos));
        }
        String word = text.substring(start, pos);
        TokenType keyword = isAscii(word) ? KEYWORDS.get(word.toUpperCase(Locale.ROOT)) : null;
        TokenType type = keyword != null ? keyword : TokenType.IDENTIFIER;
        tokens.add(new Token(type, word, null, start + 1));
    }

    private void operator(char c) throws InvalidSelectorException {
        TokenType type;
        int length = 1;
        char next = charAt(pos + 1);
        switch (c) {
            case '=' -> type = TokenType.EQUAL;
            case '<' -> {
                if (next == '>') {
                    type = TokenType.NOT_EQUAL;
                    length = 2;
                } else if (next == '=') {
                    type = TokenType.LESS_OR_EQUAL;
                    length = 2;
                } else {
                    type = TokenType.LESS;
                }
            }
            case '>' -> {
                if (next == '=') {
                    type = TokenType.GREATER_OR_EQUAL;
                    length = 2;
                } else {
                    type = TokenType.GREATER;
                }
            }
            case '+' -> type = TokenType.PLUS;
            case '-' -> type = TokenType.MINUS;
            case '*' -> type = TokenType.STAR;
            case '/' -> type = TokenType.SLASH;
            case '(' -> type = TokenType.LEFT_PAREN;
            case ')' -> type = TokenType.RIGHT_PAREN;
            case ',' -> type = TokenType.COMMA;
            case '!' -> throw error(pos,
                    "unexpected '!': use <> for not equal and NOT for negation");
            case '"' -> throw error(pos,
                    "unexpected '\"': string literals are enclosed in single quotes");
            default -> throw error(pos, "unexpected character " + describe(text.codePointAt(pos)));
        }
        tokens.add(new Token(type, text.substring(pos, pos + length), null, pos + 1));
        pos += length;
    }

    private int skipDigits(int radix) {
        int start = pos;
        while (charAt(pos) < 128 && Character.digit(charAt(pos), radix) >= 0) {
            pos++;
        }
        return pos - start;
    }

    /** Skips the current char if it is one of {@code chars}. */
    private boolean skipAny(String chars) {
        if (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    /** The char at {@code index}, or 0 past the end, which no rule accepts. */
    private char charAt(int index) {
        return index < text.length() ? text.charAt(index) : 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOctal(String digits) {
        return digits.chars().allMatch(c -> c >= '0' && c <= '7');
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    private static String describe(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isSpaceChar(codePoint)
                ? String.format("U+%04X", codePoint)
                : "'" + Character.toString(codePoint) + "'";
    }

    private InvalidSelectorException error(int offset, String reason) {
        return new InvalidSelectorException(text, offset + 1, reason);
    }
}
