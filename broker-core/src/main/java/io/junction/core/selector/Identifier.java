package io.junction.core.selector;

/** A header field or property reference; its value comes from the message. */
record Identifier(String name) implements Expression {

    @Override
    public Object evaluate(SelectorContext message) {
        Object value = message.value(name);
        return Values.isSupported(value) ? value : null;
    }

    @Override
    public ValueType type() {
        return ValueType.ANY;
    }
}
