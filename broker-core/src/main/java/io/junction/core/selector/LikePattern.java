package io.junction.core.selector;

import java.util.Arrays;

/**
 * A compiled LIKE pattern: {@code _} matches any one character, {@code %} any sequence of
 * characters (including none), everything else itself, and the pattern must match the whole
 * string. Characters are Unicode code points, so {@code _} matches a character outside the Basic
 * Multilingual Plane too.
 *
 * <p>Matching uses the classic wildcard algorithm that backtracks only to the latest {@code %}: no
 * regular expression, no allocation, and at worst pattern length times string length steps.
 */
final class LikePattern {

    /** Pattern elements are code points (never negative) or one of these wildcards. */
    private static final int ANY_ONE = -1;
    private static final int ANY_SEQUENCE = -2;

    private final int[] elements;

    /**
     * @param escape the escape code point, or -1 for none; it makes the next character literal
     * @throws IllegalArgumentException when the pattern ends with the escape character
     */
    LikePattern(String pattern, int escape) {
        int[] compiled = new int[pattern.length()];
        int count = 0;
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == escape) {
                if (i == pattern.length()) {
                    throw new IllegalArgumentException(
                            "the pattern ends with the escape character");
                }
                c = pattern.codePointAt(i);
                i += Character.charCount(c);
                compiled[count++] = c;
            } else if (c == '_') {
                compiled[count++] = ANY_ONE;
            } else if (c != '%') {
                compiled[count++] = c;
            } else if (count == 0 || compiled[count - 1] != ANY_SEQUENCE) {
                // Consecutive '%' mean the same as one, and one keeps backtracking short.
                compiled[count++] = ANY_SEQUENCE;
            }
        }
        this.elements = Arrays.copyOf(compiled, count);
    }

    boolean matches(String s) {
        int p = 0;
        int i = 0;
        int lastSequence = -1; // index of the latest '%' seen, to resume from on a mismatch
        int resumeAt = 0; // where in s the characters matched by that '%' end
        while (i < s.length()) {
            if (p < elements.length && elements[p] == ANY_SEQUENCE) {
                lastSequence = p++;
                resumeAt = i;
                continue;
            }
            if (p < elements.length) {
                int c = s.codePointAt(i);
                if (elements[p] == ANY_ONE || elements[p] == c) {
                    i += Character.charCount(c);
                    p++;
                    continue;
                }
            }
            if (lastSequence < 0) {
                return false;
            }
            // Let the latest '%' swallow one more character and retry the rest of the pattern.
            resumeAt += Character.charCount(s.codePointAt(resumeAt));
            i = resumeAt;
            p = lastSequence + 1;
        }
        while (p < elements.length && elements[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == elements.length;
    }
}
