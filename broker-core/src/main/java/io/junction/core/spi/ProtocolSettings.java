package io.junction.core.spi;

/** A protocol module's validated section of the broker configuration. */
public interface ProtocolSettings {

    /** The configured value of a setting the module declared, or its default. */
    <T> T get(Setting<T> setting);
}
