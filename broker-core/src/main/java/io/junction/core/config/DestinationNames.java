package io.junction.core.config;

import java.util.Optional;

/**
 * Checks destination names and patterns written in the config, and matches names against
 * patterns with ActiveMQ's wildcards: words are split on {@code .}, {@code *} stands for exactly
 * one word and {@code >} for one or more remaining words.
 */
final class DestinationNames {

    static final String ANY_WORD = "*";
    static final String ANY_REST = ">";

    static final String NAME_FORM = "a destination name: words separated by '.', without wildcards";
    static final String PATTERN_FORM =
            "a destination pattern: words separated by '.', '*' for one word, '>' for the rest (last word only)";

    private DestinationNames() {
    }

    /** Why {@code name} is not a plain destination name, or empty when it is one. */
    static Optional<String> nameProblem(String name) {
        Optional<String> wordProblem = wordsProblem(name);
        if (wordProblem.isPresent()) {
            return wordProblem;
        }
        if (name.contains(ANY_WORD) || name.contains(ANY_REST)) {
            return Optional.of("a name cannot contain the wildcards '*' or '>'");
        }
        return Optional.empty();
    }

    /** Why {@code pattern} is not a valid destination pattern, or empty when it is one. */
    static Optional<String> patternProblem(String pattern) {
        if (pattern.isEmpty()) {
            // An unquoted lone '>' is YAML's folded-text marker and reads as an empty value.
            return Optional.of("it is empty; write a lone '>' in quotes: \">\"");
        }
        Optional<String> wordProblem = wordsProblem(pattern);
        if (wordProblem.isPresent()) {
            return wordProblem;
        }
        String[] words = words(pattern);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            boolean wildcard = word.equals(ANY_WORD) || word.equals(ANY_REST);
            if (!wildcard && (word.contains(ANY_WORD) || word.contains(ANY_REST))) {
                return Optional.of("'*' and '>' must be whole words, not part of '" + word + "'");
            }
            if (word.equals(ANY_REST) && i != words.length - 1) {
                return Optional.of("'>' may only be the last word");
            }
        }
        return Optional.empty();
    }

    /** True when {@code name} matches {@code pattern}; 'a.>' matches 'a.b' and 'a.b.c' but not 'a'. */
    static boolean matches(String pattern, String name) {
        String[] patternWords = words(pattern);
        String[] nameWords = words(name);
        for (int i = 0; i < patternWords.length; i++) {
            if (patternWords[i].equals(ANY_REST)) {
                return nameWords.length > i;
            }
            if (i >= nameWords.length) {
                return false;
            }
            if (!patternWords[i].equals(ANY_WORD) && !patternWords[i].equals(nameWords[i])) {
                return false;
            }
        }
        return nameWords.length == patternWords.length;
    }

    private static Optional<String> wordsProblem(String text) {
        if (text.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
            // A comma would make it a composite name; spaces are almost always a quoting mistake.
            return Optional.of("it contains a space or a comma");
        }
        for (String word : words(text)) {
            if (word.isEmpty()) {
                return Optional.of("it has an empty word (leading, trailing or doubled '.')");
            }
        }
        return Optional.empty();
    }

    private static String[] words(String text) {
        return text.split("\\.", -1);
    }
}
