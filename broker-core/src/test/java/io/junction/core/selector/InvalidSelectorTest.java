package io.junction.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvalidSelectorTest {

    /** Selector, 1-based column of the problem, and a fragment of the reason. */
    static Stream<Arguments> invalidSelectors() {
        return Stream.of(
                // missing operands
                arguments("", 1, "expected an operand but found end of input"),
                arguments("   ", 4, "expected an operand but found end of input"),
                arguments("a = ", 5, "expected an operand but found end of input"),
                arguments("a =", 4, "expected an operand but found end of input"),
                arguments("= 1", 1, "expected an operand but found '='"),
                arguments("a = 1 AND", 10, "expected an operand but found end of input"),
                arguments("a = 1 OR OR b", 10, "expected an operand but found 'OR'"),
                arguments("AND a = 1", 1, "expected an operand but found 'AND'"),
                arguments("a == 1", 4, "expected an operand but found '='"),
                arguments("a + = 1", 5, "expected an operand but found '='"),
                arguments("NOT", 4, "expected an operand but found end of input"),
                arguments("NOT NOT", 8, "expected an operand but found end of input"),
                arguments("a = ,", 5, "expected an operand but found ','"),
                // keywords are not identifiers
                arguments("AND = 1", 1, "expected an operand but found 'AND'"),
                arguments("like = 1", 1, "expected an operand but found 'like'"),
                arguments("Between > 1", 1, "expected an operand but found 'Between'"),
                arguments("a = escape", 5, "expected an operand but found 'escape'"),
                arguments("is IS NULL", 1, "expected an operand but found 'is'"),
                // unexpected characters and tokens
                arguments("a != 1", 3, "use <> for not equal"),
                arguments("!isRed", 1, "NOT for negation"),
                arguments("a = \"x\"", 5, "single quotes"),
                arguments("a = #", 5, "unexpected character '#'"),
                arguments("a = 1 ; b = 2", 7, "unexpected character ';'"),
                arguments("a.b = 1", 2, "unexpected character '.'"),
                arguments("a = 1 && b = 2", 7, "unexpected character '&'"),
                arguments("a =\u00A01", 4, "unexpected character U+00A0"),
                arguments("a\u000B= 1", 2, "unexpected character U+000B"),
                // unterminated strings
                arguments("a = 'abc", 5, "unterminated string literal"),
                arguments("'abc", 1, "unterminated string literal"),
                arguments("a = 'it''s", 5, "unterminated string literal"),
                arguments("a = 'x''", 5, "unterminated string literal"),
                arguments("a IN ('x', 'y)", 12, "unterminated string literal"),
                // parentheses
                arguments("(a = 1", 7, "expected ')' to close the '(' at column 1 but found end of input"),
                arguments("((a = 1)", 9, "expected ')' to close the '(' at column 1"),
                arguments("a = (1 + 2", 11, "expected ')' to close the '(' at column 5"),
                arguments("a = 1 AND (b = 2 OR (c = 3)", 28, "expected ')' to close the '(' at column 11"),
                arguments("(a = 1 b)", 8, "expected ')' to close the '(' at column 1 but found identifier 'b'"),
                arguments("a = 1)", 6, "unbalanced ')'"),
                arguments("(a = 1))", 8, "unbalanced ')'"),
                arguments(")", 1, "expected an operand but found ')'"),
                arguments("()", 2, "expected an operand but found ')'"),
                arguments("a = ()", 6, "expected an operand but found ')'"),
                // trailing garbage and operators that do not chain
                arguments("a = 1 b", 7, "expected AND, OR or end of input but found identifier 'b'"),
                arguments("a = 1 2", 7, "expected AND, OR or end of input but found '2'"),
                arguments("a = 1 'x'", 7, "expected AND, OR or end of input but found string 'x'"),
                arguments("a = b = c", 7, "expected AND, OR or end of input but found '='"),
                arguments("a < b < c", 7, "expected AND, OR or end of input but found '<'"),
                arguments("a = 1 ESCAPE '!'", 7, "found 'ESCAPE'"),
                arguments("a IS NULL IS NULL", 11, "found 'IS'"),
                arguments("a b", 3, "expected an operator but found identifier 'b'"),
                arguments("a = 1 AND b c", 13, "expected an operator but found identifier 'c'"),
                arguments("TRUE TRUE", 6, "expected an operator but found 'TRUE'"),
                // NULL
                arguments("a = NULL", 5, "NULL is only allowed in IS NULL and IS NOT NULL"),
                arguments("NULL IS NULL", 1, "NULL is only allowed"),
                arguments("NULL", 1, "NULL is only allowed"),
                arguments("a IS", 5, "expected NULL or NOT NULL after IS but found end of input"),
                arguments("a IS NULLX", 6, "expected NULL or NOT NULL after IS but found identifier 'NULLX'"),
                arguments("a IS 'x'", 6, "expected NULL or NOT NULL after IS"),
                arguments("a IS NOT", 9, "expected NULL after IS NOT but found end of input"),
                arguments("a IS NOT TRUE", 10, "expected NULL after IS NOT but found 'TRUE'"),
                arguments("1 IS NULL", 1, "IS NULL applies only to an identifier"),
                arguments("(a + 1) IS NOT NULL", 1, "IS NULL applies only to an identifier"),
                // NOT must introduce BETWEEN, LIKE or IN
                arguments("a NOT b", 7, "expected BETWEEN, LIKE or IN after NOT but found identifier 'b'"),
                arguments("a NOT NULL", 7, "expected BETWEEN, LIKE or IN after NOT but found 'NULL'"),
                arguments("a NOT = 1", 7, "expected BETWEEN, LIKE or IN after NOT"),
                // BETWEEN
                arguments("a BETWEEN 1", 12, "expected AND between the bounds of BETWEEN but found end of input"),
                arguments("a BETWEEN 1 OR 2", 13, "expected AND between the bounds of BETWEEN but found 'OR'"),
                arguments("a BETWEEN AND 2", 11, "expected an operand but found 'AND'"),
                arguments("a BETWEEN 1 AND", 16, "expected an operand but found end of input"),
                arguments("a BETWEEN 'x' AND 'z'", 11, "a bound of BETWEEN must be numeric but is a string"),
                arguments("a BETWEEN 1 AND 'z'", 17, "a bound of BETWEEN must be numeric but is a string"),
                arguments("a NOT BETWEEN TRUE AND 2", 15, "a bound of BETWEEN must be numeric but is a condition"),
                arguments("'a' BETWEEN 1 AND 2", 1, "the operand of BETWEEN must be numeric but is a string"),
                // LIKE
                arguments("a LIKE 'x' ESCAPE 'ab'", 19, "the ESCAPE character must be a single character but was 'ab'"),
                arguments("a LIKE 'x' ESCAPE ''", 19, "the ESCAPE character must be a single character but was ''"),
                arguments("a LIKE 'x\\' ESCAPE '\\'", 8, "the pattern ends with the escape character"),
                arguments("a LIKE 'x' ESCAPE", 18, "expected a string literal after ESCAPE but found end of input"),
                arguments("a LIKE 'x' ESCAPE 1", 19, "expected a string literal after ESCAPE but found '1'"),
                arguments("a LIKE 'x' ESCAPE e", 19, "expected a string literal after ESCAPE"),
                arguments("a LIKE b", 8, "expected a string literal pattern after LIKE but found identifier 'b'"),
                arguments("a LIKE 1", 8, "expected a string literal pattern after LIKE but found '1'"),
                arguments("a NOT LIKE", 11, "expected a string literal pattern after LIKE but found end of input"),
                arguments("'abc' LIKE 'a%'", 1, "LIKE applies only to an identifier, not to a string"),
                arguments("a + 1 LIKE '1'", 1, "LIKE applies only to an identifier, not to a numeric expression"),
                // IN
                arguments("a IN ()", 7, "expected a string literal in the IN list but found ')'"),
                arguments("a IN ('x',)", 11, "expected a string literal in the IN list but found ')'"),
                arguments("a IN ('x' 'y')", 11, "expected ',' or ')' in the IN list but found string 'y'"),
                arguments("a IN (1, 2)", 7, "expected a string literal in the IN list but found '1'"),
                arguments("a IN ('x', b)", 12, "expected a string literal in the IN list but found identifier 'b'"),
                arguments("a IN 'x'", 6, "expected '(' after IN but found string 'x'"),
                arguments("a IN ('x'", 10, "expected ',' or ')' in the IN list but found end of input"),
                arguments("1 IN ('1')", 1, "IN applies only to an identifier"),
                arguments("a NOT IN", 9, "expected '(' after IN but found end of input"),
                // the selector and logical operands must be conditions
                arguments("1 + 2", 1, "the selector must be a condition but is a numeric expression"),
                arguments("'abc'", 1, "the selector must be a condition but is a string"),
                arguments("-5", 1, "the selector must be a condition but is a numeric expression"),
                arguments("(1)", 1, "the selector must be a condition but is a numeric expression"),
                arguments("a + 1", 1, "the selector must be a condition but is a numeric expression"),
                arguments("1 AND TRUE", 1, "an operand of AND must be a condition but is a numeric expression"),
                arguments("TRUE AND a AND 2", 16, "an operand of AND must be a condition"),
                arguments("TRUE OR 'x'", 9, "an operand of OR must be a condition but is a string"),
                arguments("NOT 1", 5, "the operand of NOT must be a condition but is a numeric expression"),
                arguments("NOT 'x'", 5, "the operand of NOT must be a condition but is a string"),
                // arithmetic and ordering need numbers
                arguments("'a' + 1 = 2", 1, "an operand of '+' must be numeric but is a string"),
                arguments("1 + 'a' = 2", 5, "an operand of '+' must be numeric but is a string"),
                arguments("a * 2 - 'x' = 1", 9, "an operand of '-' must be numeric but is a string"),
                arguments("TRUE * 2 = 2", 1, "an operand of '*' must be numeric but is a condition"),
                arguments("a / (b > 1) = 2", 5, "an operand of '/' must be numeric but is a condition"),
                arguments("-'a' = 1", 2, "the operand of unary '-' must be numeric but is a string"),
                arguments("+TRUE", 2, "the operand of unary '+' must be numeric but is a condition"),
                arguments("(a = 1) + 1 = 2", 1, "an operand of '+' must be numeric but is a condition"),
                arguments("a < 'x'", 5, "an operand of '<' must be numeric but is a string"),
                arguments("'x' >= a", 1, "an operand of '>=' must be numeric but is a string"),
                arguments("TRUE > FALSE", 1, "an operand of '>' must be numeric but is a condition"),
                arguments("a <= (b = 1)", 6, "an operand of '<=' must be numeric but is a condition"),
                // malformed numbers
                arguments("a = 1e", 5, "malformed exponent in number"),
                arguments("a = 1e+", 5, "malformed exponent in number"),
                arguments("a = 0x", 5, "malformed hexadecimal number"),
                arguments("a = 0xZZ", 5, "malformed hexadecimal number"),
                arguments("a = 0x1G", 5, "malformed number"),
                arguments("a = 09", 5, "invalid octal number"),
                arguments("a = 08L", 5, "invalid octal number"),
                arguments("a = 12abc", 5, "malformed number"),
                arguments("a = 1.2.3", 5, "malformed number"),
                arguments("a = 1.5L", 5, "malformed number"),
                arguments("a = 1_000", 5, "malformed number"),
                arguments("a = 0b101", 5, "malformed number"),
                arguments("a = 9223372036854775808", 5, "the number 9223372036854775808 is out of the range of a long"),
                arguments("a = -9223372036854775809", 6, "out of the range of a long"),
                arguments("a = 0x10000000000000000", 5, "out of the range of a long"),
                arguments("a = 1e400", 5, "the number 1e400 is out of the range of a double"),
                arguments("a = 1e39f", 5, "the number 1e39f is out of the range of a float"),
                // nesting beyond the limit
                arguments("(".repeat(65) + "a" + ")".repeat(65), 65, "nested more than 64 levels deep"),
                arguments("NOT ".repeat(65) + "a", 257, "nested more than 64 levels deep"),
                arguments("-".repeat(65) + "a = 1", 65, "nested more than 64 levels deep"),
                arguments("(".repeat(40) + "NOT ".repeat(25) + "a" + ")".repeat(40), 137, "nested more than 64 levels deep"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidSelectors")
    void rejects(String selector, int column, String reason) {
        InvalidSelectorException e = catchThrowableOfType(InvalidSelectorException.class, () -> Selector.parse(selector));

        assertThat(e).as("exception for %s", selector).isNotNull();
        assertThat(e.column()).as("column").isEqualTo(column);
        assertThat(e.selector()).isEqualTo(selector);
        assertThat(e.reason()).contains(reason);
        assertThat(e).hasMessage("Invalid selector \"" + selector + "\" at column " + column + ": " + e.reason());
    }
}
