package io.junction.core.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Recursive-descent parser for the JMS selector grammar. Precedence, loosest first:
 *
 * <pre>
 * selector       = or END
 * or             = and { OR and }
 * and            = not { AND not }
 * not            = NOT not | predicate
 * predicate      = additive [ compare-op additive
 *                           | [NOT] BETWEEN additive AND additive
 *                           | [NOT] LIKE string [ESCAPE string]
 *                           | [NOT] IN ( string { , string } )
 *                           | IS [NOT] NULL ]
 * additive       = multiplicative { (+ | -) multiplicative }
 * multiplicative = unary { (* | /) unary }
 * unary          = (+ | -) unary | primary
 * primary        = literal | identifier | ( or )
 * </pre>
 *
 * <p>Besides syntax, the parser checks what it can about types: operands of AND, OR and NOT and the
 * selector itself must be conditions, operands of arithmetic, ordering comparisons and BETWEEN must
 * be numeric, and LIKE, IN and IS NULL apply to identifiers. An identifier passes every check; its
 * type is only known per message.
 */
final class Parser {

    /**
     * Limits nesting of parentheses, NOT and signs, which recurse in the parser and in evaluation,
     * so that a hostile selector cannot overflow the stack: a level of parentheses costs a dozen
     * parser frames, several KB once the JIT has compiled them. Real selectors stay far below it.
     */
    private static final int MAX_NESTING = 64;

    @FunctionalInterface
    private interface Rule {
        Expression parse() throws InvalidSelectorException;
    }

    private final String text;
    private final List<Token> tokens;
    private int pos;
    private int nesting;

    Parser(String text) throws InvalidSelectorException {
        this.text = text;
        this.tokens = Lexer.tokenize(text);
    }

    Expression parse() throws InvalidSelectorException {
        Token first = peek();
        Expression expression = or();
        Token extra = peek();
        if (extra.type() == TokenType.RIGHT_PAREN) {
            throw error(extra, "unbalanced ')' without a matching '('");
        }
        if (extra.type() != TokenType.END) {
            throw error(extra, "expected AND, OR or end of input but found " + extra.describe());
        }
        return requireCondition(expression, first, "the selector");
    }

    private Expression or() throws InvalidSelectorException {
        return logical(this::and, TokenType.OR, Or::new);
    }

    private Expression and() throws InvalidSelectorException {
        return logical(this::not, TokenType.AND, And::new);
    }

    private Expression logical(
            Rule operand, TokenType operator, Function<Expression[], Expression> node)
            throws InvalidSelectorException {
        Token start = peek();
        Expression first = operand.parse();
        if (peek().type() != operator) {
            return first;
        }
        String role = "an operand of " + operator;
        List<Expression> operands = new ArrayList<>();
        operands.add(requireCondition(first, start, role));
        while (accept(operator)) {
            start = peek();
            operands.add(requireCondition(operand.parse(), start, role));
        }
        return node.apply(operands.toArray(Expression[]::new));
    }

    private Expression not() throws InvalidSelectorException {
        Token not = peek();
        if (!accept(TokenType.NOT)) {
            return predicate();
        }
        enter(not);
        Token start = peek();
        Expression operand = requireCondition(not(), start, "the operand of NOT");
        nesting--;
        return new Not(operand);
    }

    private Expression predicate() throws InvalidSelectorException {
        Token start = peek();
        Expression left = additive();
        Token operator = peek();
        switch (operator.type()) {
            case EQUAL, NOT_EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL -> {
                next();
                return comparison(start, left, operator);
            }
            case IS -> {
                next();
                return isNull(start, left);
            }
            case NOT -> {
                next();
                return new Not(negatable(start, left, peek()));
            }
            case BETWEEN, LIKE, IN -> {
                return negatable(start, left, operator);
            }
            case AND, OR, RIGHT_PAREN, END -> {
                return left;
            }
            default -> throw error(
                    operator, "expected an operator but found " + operator.describe());
        }
    }

    private Expression comparison(Token start, Expression left, Token operator)
            throws InvalidSelectorException {
        ComparisonOperator op = switch (operator.type()) {
            case EQUAL -> ComparisonOperator.EQUAL;
            case NOT_EQUAL -> ComparisonOperator.NOT_EQUAL;
            case LESS -> ComparisonOperator.LESS;
            case LESS_OR_EQUAL -> ComparisonOperator.LESS_OR_EQUAL;
            case GREATER -> ComparisonOperator.GREATER;
            default -> ComparisonOperator.GREATER_OR_EQUAL;
        };
        Token rightStart = peek();
        Expression right = additive();
        if (!op.isEquality()) {
            // JMS restricts strings and booleans to = and <>.
            String role = "an operand of '" + op.symbol() + "'";
            requireNumeric(left, start, role);
            requireNumeric(right, rightStart, role);
        }
        return new Comparison(op, left, right);
    }

    /** BETWEEN, LIKE or IN, after an optional NOT that the caller has consumed. */
    private Expression negatable(Token start, Expression left, Token operator)
            throws InvalidSelectorException {
        return switch (operator.type()) {
            case BETWEEN -> between(start, left);
            case LIKE -> like(start, left);
            case IN -> in(start, left);
            default -> throw error(operator,
                    "expected BETWEEN, LIKE or IN after NOT but found " + operator.describe());
        };
    }

    private Expression between(Token start, Expression value) throws InvalidSelectorException {
        next();
        requireNumeric(value, start, "the operand of BETWEEN");
        Token lowStart = peek();
        Expression low = requireNumeric(additive(), lowStart, "a bound of BETWEEN");
        expect(TokenType.AND, "AND between the bounds of BETWEEN");
        Token highStart = peek();
        Expression high = requireNumeric(additive(), highStart, "a bound of BETWEEN");
        return new Between(value, low, high);
    }

    private Expression like(Token start, Expression value) throws InvalidSelectorException {
        next();
        Identifier identifier = requireIdentifier(value, start, "LIKE");
        Token pattern = expect(TokenType.STRING, "a string literal pattern after LIKE");
        int escape = -1;
        if (accept(TokenType.ESCAPE)) {
            Token escapeToken = expect(TokenType.STRING, "a string literal after ESCAPE");
            String s = escapeToken.value();
            if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw error(escapeToken, "the ESCAPE character must be a single character but was "
                        + escapeToken.text());
            }
            escape = s.codePointAt(0);
        }
        try {
            return new Like(identifier, new LikePattern(pattern.value(), escape));
        } catch (IllegalArgumentException e) {
            throw error(pattern, e.getMessage());
        }
    }

    private Expression in(Token start, Expression value) throws InvalidSelectorException {
        next();
        Identifier identifier = requireIdentifier(value, start, "IN");
        expect(TokenType.LEFT_PAREN, "'(' after IN");
        List<String> values = new ArrayList<>();
        do {
            values.add(expect(TokenType.STRING, "a string literal in the IN list").value());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RIGHT_PAREN, "',' or ')' in the IN list");
        return new In(identifier, Set.copyOf(values));
    }

    private Expression isNull(Token start, Expression value) throws InvalidSelectorException {
        Identifier identifier = requireIdentifier(value, start, "IS NULL");
        boolean negated = accept(TokenType.NOT);
        expect(TokenType.NULL, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
        Expression isNull = new IsNull(identifier);
        return negated ? new Not(isNull) : isNull;
    }

    private Expression additive() throws InvalidSelectorException {
        return arithmetic(this::multiplicative, TokenType.PLUS, TokenType.MINUS);
    }

    private Expression multiplicative() throws InvalidSelectorException {
        return arithmetic(this::unary, TokenType.STAR, TokenType.SLASH);
    }

    private Expression arithmetic(Rule operand, TokenType operator1, TokenType operator2)
            throws InvalidSelectorException {
        Token start = peek();
        Expression first = operand.parse();
        List<ArithmeticOperator> operators = new ArrayList<>();
        List<Expression> operands = new ArrayList<>();
        while (peek().type() == operator1 || peek().type() == operator2) {
            ArithmeticOperator op = arithmeticOperator(next());
            String role = "an operand of '" + op.symbol() + "'";
            if (operators.isEmpty()) {
                requireNumeric(first, start, role);
            }
            Token operandStart = peek();
            operators.add(op);
            operands.add(requireNumeric(operand.parse(), operandStart, role));
        }
        if (operators.isEmpty()) {
            return first;
        }
        return new Arithmetic(first,
                operators.toArray(ArithmeticOperator[]::new), operands.toArray(Expression[]::new));
    }

    private static ArithmeticOperator arithmeticOperator(Token token) {
        return switch (token.type()) {
            case PLUS -> ArithmeticOperator.ADD;
            case MINUS -> ArithmeticOperator.SUBTRACT;
            case STAR -> ArithmeticOperator.MULTIPLY;
            default -> ArithmeticOperator.DIVIDE;
        };
    }

    private Expression unary() throws InvalidSelectorException {
        Token sign = peek();
        if (!accept(TokenType.PLUS) && !accept(TokenType.MINUS)) {
            return primary();
        }
        boolean negate = sign.type() == TokenType.MINUS;
        Token operandStart = peek();
        if (negate && operandStart.type() == TokenType.EXACT_NUMBER) {
            // Folded here rather than negated later, so that -9223372036854775808 is in range.
            next();
            return new Literal(exactValue(operandStart, true));
        }
        enter(sign);
        String role = "the operand of unary '" + sign.text() + "'";
        Expression operand = requireNumeric(unary(), operandStart, role);
        nesting--;
        if (operand instanceof Literal literal) {
            return negate ? literal.negate() : literal;
        }
        return new Sign(negate, operand);
    }

    private Expression primary() throws InvalidSelectorException {
        Token token = next();
        switch (token.type()) {
            case IDENTIFIER -> {
                return new Identifier(token.text());
            }
            case STRING -> {
                return new Literal(token.value());
            }
            case EXACT_NUMBER -> {
                return new Literal(exactValue(token, false));
            }
            case APPROXIMATE_NUMBER -> {
                return new Literal(approximateValue(token));
            }
            case TRUE, FALSE -> {
                return new Literal(token.type() == TokenType.TRUE);
            }
            case LEFT_PAREN -> {
                enter(token);
                Expression inner = or();
                nesting--;
                Token close = peek();
                if (!accept(TokenType.RIGHT_PAREN)) {
                    throw error(close, "expected ')' to close the '(' at column " + token.column()
                            + " but found " + close.describe());
                }
                return inner;
            }
            case NULL -> throw error(token, "NULL is only allowed in IS NULL and IS NOT NULL");
            default -> throw error(token, "expected an operand but found " + token.describe());
        }
    }

    /**
     * A decimal literal may be 2^63 only when negated; hex and octal ones span all 64 bits, as in
     * Java.
     */
    private Long exactValue(Token token, boolean negative) throws InvalidSelectorException {
        String s = token.text();
        if (s.endsWith("l") || s.endsWith("L")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return negate(Long.parseUnsignedLong(s.substring(2), 16), negative);
            }
            if (s.length() > 1 && s.charAt(0) == '0') {
                return negate(Long.parseUnsignedLong(s.substring(1), 8), negative);
            }
            return Long.parseLong(negative ? "-" + s : s);
        } catch (NumberFormatException e) {
            throw error(token, "the number " + token.text() + " is out of the range of a long");
        }
    }

    private static long negate(long value, boolean negative) {
        return negative ? -value : value;
    }

    /**
     * An F suffix makes a float literal, as in Java, so that {@code 1.1F} equals a Float property
     * holding 1.1F (which {@code 1.1} does not).
     */
    private Double approximateValue(Token token) throws InvalidSelectorException {
        String s = token.text();
        boolean isFloat = s.endsWith("f") || s.endsWith("F");
        double value = isFloat ? Float.parseFloat(s) : Double.parseDouble(s);
        if (Double.isInfinite(value)) {
            String type = isFloat ? "float" : "double";
            throw error(token, "the number " + s + " is out of the range of a " + type);
        }
        return value;
    }

    private Expression requireCondition(Expression expression, Token start, String role)
            throws InvalidSelectorException {
        if (!expression.type().canBeCondition()) {
            throw error(start,
                    role + " must be a condition but is " + expression.type().description());
        }
        return expression;
    }

    private Expression requireNumeric(Expression expression, Token start, String role)
            throws InvalidSelectorException {
        if (!expression.type().canBeNumeric()) {
            throw error(start, role + " must be numeric but is " + expression.type().description());
        }
        return expression;
    }

    private Identifier requireIdentifier(Expression expression, Token start, String operator)
            throws InvalidSelectorException {
        if (expression instanceof Identifier identifier) {
            return identifier;
        }
        throw error(start, operator + " applies only to an identifier, not to "
                + expression.type().description());
    }

    private void enter(Token token) throws InvalidSelectorException {
        if (++nesting > MAX_NESTING) {
            throw error(token, "nested more than " + MAX_NESTING + " levels deep");
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    /** Consumes the current token; the END token is never consumed, so peeking stays safe. */
    private Token next() {
        Token token = tokens.get(pos);
        if (token.type() != TokenType.END) {
            pos++;
        }
        return token;
    }

    private boolean accept(TokenType type) {
        if (peek().type() != type) {
            return false;
        }
        next();
        return true;
    }

    private Token expect(TokenType type, String what) throws InvalidSelectorException {
        Token token = peek();
        if (token.type() != type) {
            throw error(token, "expected " + what + " but found " + token.describe());
        }
        return next();
    }

    private InvalidSelectorException error(Token token, String reason) {
        return new InvalidSelectorException(text, token.column(), reason);
    }
}
