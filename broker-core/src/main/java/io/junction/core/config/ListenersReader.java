package io.junction.core.config;

import io.junction.core.spi.ListenerLimits;

import java.util.ArrayList;
import java.util.Collection;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and cross-checks the {@code listeners} list. */
final class ListenersReader {

    static final List<String> KEYS = List.of("name", "protocols", "transport", "host", "port", "enabled",
            "webSocketMaxFrameSize", "maxMessageSize", "maxConnections", TlsReader.KEY, "allowAnonymous", "groups");

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final String PORT_FORM = "a whole number from 0 to 65535";
    /** Hosts that bind every interface, and so clash with any other host on the same port. */
    private static final Set<String> ANY_HOST = Set.of("0.0.0.0", "::", "[::]");

    private ListenersReader() {
    }

    /**
     * The listeners in file order, or the default listeners when the section is absent.
     *
     * @param installed     the protocol module names a listener may serve
     * @param baseDirectory the config file's directory, which relative paths (TLS stores) resolve against
     */
    static List<ListenerConfig> read(YamlMap root, Collection<String> installed, Path baseDirectory) {
        if (!root.has("listeners")) {
            ListenerConfig.defaultProtocolMissingFrom(installed).ifPresent(protocol -> {
                throw root.error("there is no 'listeners' section, and the default listener serves protocol '"
                        + protocol + "', which is not installed",
                        "add a 'listeners' section; installed protocol modules: " + String.join(", ", installed));
            });
            return ListenerConfig.defaultsFor(installed);
        }
        List<Read> read = new ArrayList<>();
        for (YamlMap item : root.mapList("listeners", KEYS)) {
            Read listener = new Read(readOne(item, installed, baseDirectory), item);
            checkUniqueName(listener, read);
            checkBind(listener, read);
            read.add(listener);
        }
        return read.stream().map(Read::config).toList();
    }

    private static ListenerConfig readOne(YamlMap item, Collection<String> installed, Path baseDirectory) {
        Scalar name = item.required("name");
        if (!NAME.matcher(name.text()).matches()) {
            throw name.invalid("lowercase letters, digits and '-' only");
        }
        List<String> protocols = readProtocols(item, installed);
        Transport transport = item.scalar("transport").map(ListenersReader::readTransport).orElse(Transport.TCP);
        String host = item.scalar("host").map(Scalar::nonEmpty).orElse(ListenerConfig.DEFAULT_HOST);
        int port = (int) item.required("port").asWholeNumber(0, 65535, PORT_FORM);
        boolean enabled = item.scalar("enabled").map(Scalar::asBoolean).orElse(true);
        ListenerLimits limits = readLimits(item);
        int maxFrame = ListenerConfig.defaultWebSocketMaxFrameSize(limits.maxMessageSize());
        Scalar frameSize = item.scalar("webSocketMaxFrameSize").orElse(null);
        if (frameSize != null) {
            if (!transport.isWebSocket()) {
                throw frameSize.error("'webSocketMaxFrameSize' applies to transport ws or wss only, and "
                        + item.describe() + " uses " + transport.yamlName(), "remove it, or use transport: ws or wss");
            }
            maxFrame = (int) frameSize.asSize(ListenerConfig.MIN_WEBSOCKET_MAX_FRAME_SIZE,
                    ListenerConfig.MAX_WEBSOCKET_MAX_FRAME_SIZE);
        }
        Optional<TlsConfig> tls = Optional.empty();
        if (transport.isTls()) {
            tls = Optional.of(TlsReader.read(item, transport, baseDirectory, enabled));
        } else if (item.has(TlsReader.KEY)) {
            throw item.error(TlsReader.KEY, "a '" + TlsReader.KEY + "' block is given but the transport is "
                    + transport.yamlName(), "write transport: tls, or wss for WebSocket over TLS");
        }
        return new ListenerConfig(name.text(), protocols, transport, host, port, enabled, maxFrame, tls, limits);
    }

    private static ListenerLimits readLimits(YamlMap item) {
        int maxMessageSize = item.scalar("maxMessageSize")
                .map(value -> (int) value.asSize(ListenerLimits.MIN_MAX_MESSAGE_SIZE, ListenerLimits.MAX_MAX_MESSAGE_SIZE))
                .orElse(ListenerLimits.DEFAULT_MAX_MESSAGE_SIZE);
        int maxConnections = item.scalar("maxConnections").map(value -> (int) value.asWholeNumber(0,
                Integer.MAX_VALUE, "0 (no limit) or a whole number of connections")).orElse(0);
        return new ListenerLimits(maxMessageSize, maxConnections);
    }

    private static List<String> readProtocols(YamlMap item, Collection<String> installed) {
        List<Scalar> given = item.scalarList("protocols").orElseThrow(() -> item.missing("protocols"));
        if (given.isEmpty()) {
            throw item.error("protocols", "'protocols' of " + item.describe() + " names no protocol",
                    "installed protocol modules: " + String.join(", ", installed));
        }
        Set<String> seen = new HashSet<>();
        for (Scalar protocol : given) {
            if (!installed.contains(protocol.text())) {
                throw protocol.error("unknown protocol '" + protocol.text() + "' in " + item.describe(),
                        DidYouMean.hint(protocol.text(), installed, "installed protocol modules"));
            }
            if (!seen.add(protocol.text())) {
                throw protocol.error("protocol '" + protocol.text() + "' is listed twice in " + item.describe());
            }
        }
        return given.stream().map(Scalar::text).toList();
    }

    private static Transport readTransport(Scalar value) {
        return value.asChoice(Transport::byYamlName, Transport.NAMES);
    }

    private static void checkUniqueName(Read listener, List<Read> earlier) {
        String name = listener.config().name();
        for (Read other : earlier) {
            if (other.config().name().equals(name)) {
                throw listener.item().required("name").error("listener name '" + name + "' is used twice",
                        "first on line " + other.line());
            }
        }
    }

    // Two open sockets on one address would fail at bind time with a less helpful message.
    private static void checkBind(Read listener, List<Read> earlier) {
        ListenerConfig config = listener.config();
        if (!config.enabled() || config.port() == 0) {
            return;
        }
        for (Read other : earlier) {
            ListenerConfig o = other.config();
            if (o.enabled() && o.port() == config.port() && sameAddress(o.host(), config.host())) {
                throw listener.item().error("listener '" + config.name() + "' binds " + address(config)
                                + ", which listener '" + o.name() + "' on line " + other.line() + " already binds",
                        "give each enabled listener its own port");
            }
        }
    }

    private static boolean sameAddress(String a, String b) {
        return a.equals(b) || ANY_HOST.contains(a) || ANY_HOST.contains(b);
    }

    private static String address(ListenerConfig listener) {
        String host = listener.host().contains(":") && !listener.host().startsWith("[")
                ? "[" + listener.host() + "]" : listener.host();
        return host + ":" + listener.port();
    }

    /** A listener and where it was written, for messages about later ones. */
    private record Read(ListenerConfig config, YamlMap item) {
        int line() {
            return YamlSource.line(item.node());
        }
    }
}
