package io.junction.core.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the known name an operator probably meant when a key is misspelt. */
final class DidYouMean {

    /** Names further apart than this are more likely different words than typos. */
    private static final int MAX_DISTANCE = 2;

    private DidYouMean() {
    }

    /** The closest known name within {@value #MAX_DISTANCE} edits, the first one on a tie. */
    static Optional<String> closest(String given, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int distance = editDistance(given, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The hint for an unknown name: the suggestion, if any, then every known name. */
    static String hint(String given, Collection<String> known, String knownLabel) {
        String list = knownLabel + ": " + String.join(", ", known);
        return closest(given, known).map(name -> "did you mean '" + name + "'? " + list).orElse(list);
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
