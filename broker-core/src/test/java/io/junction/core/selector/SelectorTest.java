package io.junction.core.selector;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorTest {

    /** The three values of SQL logic; a selector matches only when TRUE. */
    enum Truth { TRUE, FALSE, UNKNOWN }

    private static final Map<String, Object> PROPERTIES = Map.ofEntries(
            entry("color", "red"),
            entry("Color", "Blue"),
            entry("size", 10),
            entry("count", 10L),
            entry("small", (byte) 3),
            entry("shortv", (short) 7),
            entry("big", 10_000_000_000L),
            entry("zero", 0),
            entry("weight", 2.5),
            entry("ratio", 1.5f),
            entry("nan", Double.NaN),
            entry("maxLong", Long.MAX_VALUE),
            entry("minLong", Long.MIN_VALUE),
            entry("isRed", true),
            entry("isBlue", false),
            entry("empty", ""),
            entry("quote", "it's"),
            entry("numText", "10"),
            entry("path", "a.b*c[d]"),
            entry("pct", "100%"),
            entry("under", "a_b"),
            entry("backslash", "C:\\dir"),
            entry("letters", "aaaaaaaaaaaaaaaaaaaaaaaaab"),
            entry("unicode", "straße"),
            entry("emoji", "\uD83D\uDE00!"),
            entry("größe", 5),
            entry("$dollar", "d"),
            entry("_under", "u"),
            entry("x1", 1),
            entry("notes", "n"),
            entry("android", "a"),
            entry("object", new Object()),
            entry("character", 'c'),
            entry("JMSPriority", 4),
            entry("JMSType", "order"),
            entry("JMSDeliveryMode", "PERSISTENT"),
            entry("JMSCorrelationID", "abc-123"),
            entry("JMSMessageID", "ID:broker-1:42"),
            entry("JMSTimestamp", 1_700_000_000_000L),
            entry("JMSXGroupID", "g1"));

    private static final SelectorContext MESSAGE = PROPERTIES::get;

    /**
     * Each row is checked twice: the selector itself matches only when TRUE, and {@code NOT (...)}
     * of it only when FALSE, which tells FALSE and UNKNOWN apart.
     */
    @ParameterizedTest(name = "[{index}] {0} is {1}")
    @CsvSource(delimiterString = "|", quoteCharacter = '"', textBlock = """
            # literals and boolean identifiers
            TRUE                                   | TRUE
            FALSE                                  | FALSE
            true                                   | TRUE
            fAlSe                                  | FALSE
            isRed                                  | TRUE
            isBlue                                 | FALSE
            missing                                | UNKNOWN
            color                                  | UNKNOWN
            (isRed)                                | TRUE
            ((TRUE))                               | TRUE
            # strings
            color = 'red'                          | TRUE
            color = 'RED'                          | FALSE
            color <> 'red'                         | FALSE
            color <> 'blue'                        | TRUE
            'red' = color                          | TRUE
            quote = 'it''s'                        | TRUE
            empty = ''                             | TRUE
            '' = ''                                | TRUE
            'a' <> 'b'                             | TRUE
            unicode = 'straße'                     | TRUE
            color = Color                          | FALSE
            color < Color                          | UNKNOWN
            color >= color                         | UNKNOWN
            color = missing                        | UNKNOWN
            missing = missing                      | UNKNOWN
            missing <> 'x'                         | UNKNOWN
            # identifiers are case-sensitive, keywords are not
            Color = 'Blue'                         | TRUE
            COLOR = 'red'                          | UNKNOWN
            $dollar = 'd'                          | TRUE
            _under = 'u'                           | TRUE
            größe = 5                              | TRUE
            x1 = 1                                 | TRUE
            notes = 'n'                            | TRUE
            android = 'a'                          | TRUE
            # header-like identifiers, mapped by the broker's context
            JMSPriority > 3                        | TRUE
            JMSPriority = 4                        | TRUE
            jmspriority = 4                        | UNKNOWN
            JMSType = 'order'                      | TRUE
            JMSDeliveryMode = 'PERSISTENT'         | TRUE
            JMSDeliveryMode = 'NON_PERSISTENT'     | FALSE
            JMSCorrelationID = 'abc-123'           | TRUE
            JMSXGroupID = 'g1'                     | TRUE
            JMSRedelivered = TRUE                  | UNKNOWN
            JMSPriority >= 4 AND JMSType = 'order' AND JMSDeliveryMode <> 'NON_PERSISTENT' | TRUE
            JMSTimestamp BETWEEN 1600000000000 AND 1800000000000 | TRUE
            # numbers
            size = 10                              | TRUE
            size = 10.0                            | TRUE
            size = 10.5                            | FALSE
            size > 9                               | TRUE
            size >= 10                             | TRUE
            size < 10                              | FALSE
            size <= 10                             | TRUE
            size <> 10                             | FALSE
            size <> 11                             | TRUE
            count = size                           | TRUE
            small = 3                              | TRUE
            small < big                            | TRUE
            shortv = 7                             | TRUE
            big = 10000000000                      | TRUE
            big > 2147483647                       | TRUE
            weight = 2.5                           | TRUE
            weight > 2                             | TRUE
            weight < size                          | TRUE
            ratio = 1.5                            | TRUE
            ratio = 1.5F                           | TRUE
            ratio = 1.5d                           | TRUE
            ratio < weight                         | TRUE
            10 = 10.0                              | TRUE
            1 < 2                                  | TRUE
            0.1 + 0.2 = 0.3                        | FALSE
            1e3 = 1000                             | TRUE
            1E3 = 1000                             | TRUE
            1.5E-2 = 0.015                         | TRUE
            2.5e+1 = 25                            | TRUE
            .5 = 0.5                               | TRUE
            5. = 5                                 | TRUE
            7E3 = 7000                             | TRUE
            -57.9E2 = -5790                        | TRUE
            +6.2 = 6.2                             | TRUE
            0x1F = 31                              | TRUE
            0XfF = 255                             | TRUE
            017 = 15                               | TRUE
            0 = 0                                  | TRUE
            10L = size                             | TRUE
            0x7FFFFFFFFFFFFFFF = maxLong           | TRUE
            0xFFFFFFFFFFFFFFFFL = -1               | TRUE
            9223372036854775807 = maxLong          | TRUE
            -9223372036854775808 = minLong         | TRUE
            nan = nan                              | FALSE
            nan <> nan                             | TRUE
            nan > 0                                | FALSE
            # unlike types never compare: UNKNOWN, so NOT does not select either
            size = '10'                            | UNKNOWN
            numText = 10                           | UNKNOWN
            color = 1                              | UNKNOWN
            'a' = 1                                | UNKNOWN
            isRed = 1                              | UNKNOWN
            isRed = 'true'                         | UNKNOWN
            color = TRUE                           | UNKNOWN
            size <> 'x'                            | UNKNOWN
            color > 1                              | UNKNOWN
            size < numText                         | UNKNOWN
            # booleans
            isRed = TRUE                           | TRUE
            isRed <> FALSE                         | TRUE
            isBlue = FALSE                         | TRUE
            isRed = isBlue                         | FALSE
            isRed > isBlue                         | UNKNOWN
            TRUE = TRUE                            | TRUE
            TRUE <> FALSE                          | TRUE
            (size > 5) = TRUE                      | TRUE
            (size > 5) = (weight > 1)              | TRUE
            (size > 5) <> isBlue                   | TRUE
            (missing > 5) = TRUE                   | UNKNOWN
            # unsupported value types count as absent
            object = object                        | UNKNOWN
            object IS NULL                         | TRUE
            character IS NULL                      | TRUE
            # arithmetic and its precedence
            1 + 2 * 3 = 7                          | TRUE
            (1 + 2) * 3 = 9                        | TRUE
            10 - 4 - 3 = 3                         | TRUE
            100 / 10 / 5 = 2                       | TRUE
            2 * 3 + 4 * 5 = 26                     | TRUE
            3-1 = 2                                | TRUE
            size*2=20                              | TRUE
            1 - -1 = 2                             | TRUE
            -size*-2 = 20                          | TRUE
            size / 4 = 2                           | TRUE
            size / 4 = 2.5                         | FALSE
            size / 4.0 = 2.5                       | TRUE
            -7 / 2 = -3                            | TRUE
            weight * 4 = size                      | TRUE
            ratio * 2 = 3                          | TRUE
            size * 1.5 = 15                        | TRUE
            small + shortv = 10                    | TRUE
            size > 2 * 4 + 1                       | TRUE
            maxLong + 1 = minLong                  | TRUE
            minLong - 1 = maxLong                  | TRUE
            maxLong * 2 = -2                       | TRUE
            -minLong = minLong                     | TRUE
            size / 0 = 0                           | UNKNOWN
            size / zero > 0                        | UNKNOWN
            size / 0 = 0 OR TRUE                   | TRUE
            weight / 0 > 1000000                   | TRUE
            size + missing = 10                    | UNKNOWN
            size + color = 10                      | UNKNOWN
            size + isRed > 0                       | UNKNOWN
            missing * 0 = 0                        | UNKNOWN
            # unary signs
            -size = -10                            | TRUE
            +size = 10                             | TRUE
            - -size = 10                           | TRUE
            -weight < 0                            | TRUE
            -(size - 20) = 10                      | TRUE
            +color = 'red'                         | UNKNOWN
            -isRed = 1                             | UNKNOWN
            # three-valued AND, OR, NOT
            TRUE AND TRUE                          | TRUE
            TRUE AND FALSE                         | FALSE
            FALSE AND missing                      | FALSE
            missing AND FALSE                      | FALSE
            TRUE AND missing                       | UNKNOWN
            missing AND missing                    | UNKNOWN
            TRUE OR missing                        | TRUE
            missing OR TRUE                        | TRUE
            FALSE OR missing                       | UNKNOWN
            missing OR FALSE                       | UNKNOWN
            FALSE OR FALSE                         | FALSE
            NOT missing                            | UNKNOWN
            NOT TRUE                               | FALSE
            NOT NOT TRUE                           | TRUE
            NOT isBlue                             | TRUE
            missing = 1 AND color = 'red'          | UNKNOWN
            missing = 1 OR color = 'red'           | TRUE
            missing = 1 AND color = 'blue'         | FALSE
            missing = 1 OR color = 'blue'          | UNKNOWN
            NOT (missing = 1)                      | UNKNOWN
            NOT missing = 1                        | UNKNOWN
            NOT size = 10                          | FALSE
            TRUE OR FALSE AND FALSE                | TRUE
            (TRUE OR FALSE) AND FALSE              | FALSE
            FALSE AND TRUE OR TRUE                 | TRUE
            NOT FALSE AND FALSE                    | FALSE
            NOT (FALSE AND FALSE)                  | TRUE
            isRed AND color                        | UNKNOWN
            FALSE AND color                        | FALSE
            TRUE OR size                           | TRUE
            color = 'red' AND size = 10 AND weight = 2.5 AND isRed | TRUE
            color = 'blue' OR size = 11 OR isBlue OR JMSPriority = 4 | TRUE
            color = 'red' and size = 10 or missing | TRUE
            # BETWEEN
            size BETWEEN 5 AND 15                  | TRUE
            size BETWEEN 10 AND 10                 | TRUE
            size BETWEEN 11 AND 20                 | FALSE
            size BETWEEN 1 AND 9                   | FALSE
            size BETWEEN 15 AND 5                  | FALSE
            size NOT BETWEEN 11 AND 20             | TRUE
            size NOT BETWEEN 5 AND 15              | FALSE
            weight BETWEEN 2 AND 3                 | TRUE
            size BETWEEN 9.5 AND 10.5              | TRUE
            small BETWEEN -128 AND big             | TRUE
            size BETWEEN 2 * 4 AND 2 * 6           | TRUE
            size + 1 BETWEEN 11 AND 11             | TRUE
            size BETWEEN 5 AND 15 AND color = 'red' | TRUE
            size between 5 and 15                  | TRUE
            missing BETWEEN 1 AND 2                | UNKNOWN
            missing NOT BETWEEN 1 AND 2            | UNKNOWN
            size BETWEEN missing AND 20            | UNKNOWN
            size BETWEEN missing AND 5             | FALSE
            size BETWEEN 20 AND missing            | FALSE
            size NOT BETWEEN missing AND 5         | TRUE
            color BETWEEN 1 AND 2                  | UNKNOWN
            color NOT BETWEEN 1 AND 2              | UNKNOWN
            # LIKE
            color LIKE 'red'                       | TRUE
            color LIKE 're_'                       | TRUE
            color LIKE 'r%'                        | TRUE
            color LIKE '%d'                        | TRUE
            color LIKE '%e%'                       | TRUE
            color LIKE '%'                         | TRUE
            color LIKE '%%%'                       | TRUE
            color LIKE '___'                       | TRUE
            color LIKE '__'                        | FALSE
            color LIKE '____'                      | FALSE
            color LIKE 'R%'                        | FALSE
            color LIKE 'r%d'                       | TRUE
            color LIKE 'r%e%d'                     | TRUE
            color LIKE 'r%x%d'                     | FALSE
            color LIKE '%d%'                       | TRUE
            color LIKE 're'                        | FALSE
            color LIKE ''                          | FALSE
            empty LIKE ''                          | TRUE
            empty LIKE '%'                         | TRUE
            empty LIKE '_'                         | FALSE
            color like 'r%'                        | TRUE
            color NOT LIKE 'b%'                    | TRUE
            color NOT LIKE 'r%'                    | FALSE
            letters LIKE '%a%a%a%a%b'              | TRUE
            letters LIKE '%a%a%a%a%c'              | FALSE
            letters LIKE 'a%ab'                    | TRUE
            JMSMessageID LIKE 'ID:%:42'            | TRUE
            JMSCorrelationID LIKE 'abc-___'        | TRUE
            quote LIKE 'it''%'                     | TRUE
            unicode LIKE 'stra_e'                  | TRUE
            emoji LIKE '_!'                        | TRUE
            emoji LIKE '__!'                       | FALSE
            # LIKE: regular-expression characters are plain characters
            path LIKE 'a.b*c[d]'                   | TRUE
            path LIKE 'a.b%'                       | TRUE
            path LIKE '%[d]'                       | TRUE
            path LIKE 'a_b*c[d]'                   | TRUE
            path LIKE 'a.b.*'                      | FALSE
            color LIKE 'r.d'                       | FALSE
            color LIKE '.*'                        | FALSE
            color LIKE '[r]ed'                     | FALSE
            color LIKE '^red$'                     | FALSE
            path LIKE '%(%'                        | FALSE
            # LIKE ... ESCAPE
            pct LIKE '100\\%' ESCAPE '\\'          | TRUE
            pct LIKE '100\\%%' ESCAPE '\\'         | TRUE
            pct LIKE '1\\%' ESCAPE '\\'            | FALSE
            color LIKE 'red\\%' ESCAPE '\\'        | FALSE
            under LIKE 'a\\_b' ESCAPE '\\'         | TRUE
            color LIKE 'r\\_d' ESCAPE '\\'         | FALSE
            under LIKE 'a!_b' ESCAPE '!'           | TRUE
            pct LIKE '100!%' escape '!'            | TRUE
            pct LIKE '%!%' ESCAPE '!'              | TRUE
            color LIKE '%!%' ESCAPE '!'            | FALSE
            backslash LIKE 'C:\\%'                 | TRUE
            backslash LIKE 'C:\\\\dir' ESCAPE '\\' | TRUE
            color LIKE '!r!e!d' ESCAPE '!'         | TRUE
            # LIKE needs a string value
            missing LIKE '%'                       | UNKNOWN
            missing NOT LIKE '%'                   | UNKNOWN
            size LIKE '1%'                         | UNKNOWN
            isRed LIKE 't%'                        | UNKNOWN
            # IN
            color IN ('red', 'green')              | TRUE
            color IN ('blue', 'green')             | FALSE
            color IN ('red')                       | TRUE
            color IN('red','green')                | TRUE
            color in ('a', 'b', 'c', 'd', 'red')   | TRUE
            color IN ('RED')                       | FALSE
            color NOT IN ('blue', 'green')         | TRUE
            color NOT IN ('red', 'green')          | FALSE
            quote IN ('it''s')                     | TRUE
            empty IN ('')                          | TRUE
            JMSDeliveryMode IN ('PERSISTENT')      | TRUE
            JMSType IN ('order', 'invoice') AND JMSPriority > 1 | TRUE
            missing IN ('a')                       | UNKNOWN
            missing NOT IN ('a')                   | UNKNOWN
            size IN ('10')                         | UNKNOWN
            size NOT IN ('10')                     | UNKNOWN
            # IS [NOT] NULL
            missing IS NULL                        | TRUE
            missing IS NOT NULL                    | FALSE
            color IS NULL                          | FALSE
            color IS NOT NULL                      | TRUE
            empty IS NULL                          | FALSE
            isBlue IS NULL                         | FALSE
            color is not null                      | TRUE
            missing IS NULL AND color = 'red'      | TRUE
            NOT missing IS NULL                    | FALSE
            """)
    void evaluates(String selector, Truth expected) throws InvalidSelectorException {
        assertThat(Selector.parse(selector).matches(MESSAGE)).as(selector).isEqualTo(expected == Truth.TRUE);
        String negated = "NOT (" + selector + ")";
        assertThat(Selector.parse(negated).matches(MESSAGE)).as(negated).isEqualTo(expected == Truth.FALSE);
    }

    @Test
    void acceptsJmsWhitespaceBetweenTokens() throws InvalidSelectorException {
        assertThat(Selector.parse("\tcolor\n=\r\n'red'\f").matches(MESSAGE)).isTrue();
    }

    @Test
    void evaluatesOneParsedSelectorAgainstManyMessages() throws InvalidSelectorException {
        Selector selector = Selector.parse("size > 5 AND kind LIKE 'a%'");

        assertThat(selector.matches(Map.of("size", 6, "kind", "apple")::get)).isTrue();
        assertThat(selector.matches(Map.of("size", 6, "kind", "pear")::get)).isFalse();
        assertThat(selector.matches(Map.of("size", 5.5, "kind", "avocado")::get)).isTrue();
        assertThat(selector.matches(Map.of("kind", "apple")::get)).isFalse();
        assertThat(selector.matches(name -> null)).isFalse();
    }

    @Test
    void keepsTheText() throws InvalidSelectorException {
        Selector selector = Selector.parse(" color = 'red' ");

        assertThat(selector.text()).isEqualTo(" color = 'red' ");
        assertThat(selector).hasToString(" color = 'red' ");
    }

    @Test
    void shortCircuitsWithoutLookingUpTheRest() throws InvalidSelectorException {
        SelectorContext onlyColor = name -> {
            assertThat(name).isEqualTo("color");
            return "red";
        };

        assertThat(Selector.parse("color = 'red' OR other = 1").matches(onlyColor)).isTrue();
        assertThat(Selector.parse("color = 'blue' AND other = 1").matches(onlyColor)).isFalse();
    }

    @Test
    void evaluatesLongChainsWithoutDeepRecursion() throws InvalidSelectorException {
        String ors = IntStream.range(0, 20_000).mapToObj(i -> "size = " + (i + 100)).collect(Collectors.joining(" OR "));
        String sum = IntStream.range(0, 20_000).mapToObj(i -> "1").collect(Collectors.joining(" + "));

        assertThat(Selector.parse(ors + " OR size = 10").matches(MESSAGE)).isTrue();
        assertThat(Selector.parse(sum + " = 20000").matches(MESSAGE)).isTrue();
    }

    @Test
    void acceptsNestingUpToTheLimit() throws InvalidSelectorException {
        String selector = "(".repeat(32) + "NOT ".repeat(16) + "-".repeat(16) + "size = 10" + ")".repeat(32);

        assertThat(Selector.parse(selector).matches(MESSAGE)).isTrue();
    }

    @Test
    void rejectsNullText() {
        assertThatThrownBy(() -> Selector.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t\r\n\f "})
    void blankTextIsNoSelector(String text) {
        assertThat(Selector.isEmpty(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", " TRUE ", "'x'", "\u00A0"})
    void otherTextIsASelector(String text) {
        assertThat(Selector.isEmpty(text)).isFalse();
    }
}
