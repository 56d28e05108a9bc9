package io.junction.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LikePatternTest {

    /**
     * The backtracking matcher is easy to get subtly wrong, so compare it with a regular expression
     * translation on many small random patterns and strings, where all the corner cases
     * (adjacent wildcards, a '%' at either end, escapes, empty strings) turn up.
     */
    @Test
    void agreesWithARegularExpressionOnRandomInputs() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String like = randomString(random, "ab%_!", 6);
            String subject = randomString(random, "ab%_!", 7);
            Pattern regex = toRegex(like, '!');
            if (regex == null) {
                assertThatIllegalArgumentException().isThrownBy(() -> new LikePattern(like, '!'));
                continue;
            }
            boolean expected = regex.matcher(subject).matches();

            assertThat(new LikePattern(like, '!').matches(subject))
                    .as("'%s' LIKE '%s' ESCAPE '!'", subject, like)
                    .isEqualTo(expected);
        }
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The equivalent regular expression, or null when the pattern ends with the escape. */
    private static Pattern toRegex(String like, char escape) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == escape && i == like.length() - 1) {
                return null;
            } else if (c == escape) {
                regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
