package io.junction.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module rules of the design (section 1), checked on the import statements of the sources:
 * core knows no protocol, and a protocol module reaches core only through the SPI and the model
 * and never reaches another protocol module. Paths are relative to the broker-core module
 * directory, where the tests run.
 */
class ArchitectureTest {

    private static final Path CORE_SOURCES = Path.of("src/main/java");
    private static final Path MODULES = Path.of("..");

    private static final List<String> PROTOCOL_LIBRARIES = List.of(
            "io.netty.handler.codec.stomp", "io.netty.handler.codec.mqtt", "org.apache.qpid", "org.apache.activemq");
    private static final List<String> PROTOCOL_PACKAGES = List.of(
            "io.junction.stomp", "io.junction.mqtt", "io.junction.amqp", "io.junction.openwire");
    private static final List<String> CORE_API = List.of("io.junction.core.spi", "io.junction.core.model");
    private static final String JUNCTION = "io.junction";

    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");

    /** One import statement, for the failure message. */
    record Import(Path file, int line, String name) {

        boolean isIn(String pkg) {
            return name.equals(pkg) || name.startsWith(pkg + ".");
        }

        boolean isInAny(List<String> packages) {
            return packages.stream().anyMatch(this::isIn);
        }

        @Override
        public String toString() {
            return file + ":" + line + " imports " + name;
        }
    }

    @Test
    void coreImportsNoProtocolLibrary() {
        List<Import> imports = importsUnder(CORE_SOURCES);

        assertThat(imports).as("imports found under %s", CORE_SOURCES.toAbsolutePath()).isNotEmpty();
        assertNone(protocolLibraryImports(imports), "broker-core must not import a protocol library");
    }

    @Test
    void protocolModulesUseOnlyTheCoreSpiAndModel() {
        List<Path> modules = protocolModules(MODULES);

        assertThat(modules).as("protocol modules next to broker-core").isNotEmpty();
        assertNone(coreInternalsImports(modules),
                "a protocol module may import from core only " + CORE_API + " (and its own package)");
    }

    @Test
    void protocolModulesDoNotImportEachOther() {
        assertNone(crossProtocolImports(protocolModules(MODULES)),
                "a protocol module must not import another protocol module");
    }

    /** The checks must report what they are meant to catch, not pass on anything. */
    @Test
    void checksReportEachOffendingFileAndLine(@TempDir Path root) throws IOException {
        Path stomp = write(root, "protocol-stomp/src/main/java/io/junction/stomp/Bad.java", """
                package io.junction.stomp;

                import io.junction.core.model.Message;
                import io.junction.stomp.Other;
                import io.junction.core.broker.Broker;
                import static io.junction.mqtt.MqttTopics.toCore;
                import org.apache.activemq.command.ActiveMQQueue;
                """);
        List<Path> modules = protocolModules(root);

        assertThat(modules).hasSize(1);
        assertThat(coreInternalsImports(modules)).extracting(Object::toString).containsExactly(
                stomp + ":5 imports io.junction.core.broker.Broker");
        assertThat(crossProtocolImports(modules)).extracting(Object::toString).containsExactly(
                stomp + ":6 imports io.junction.mqtt.MqttTopics.toCore");
        assertThat(protocolLibraryImports(importsUnder(modules.get(0)))).extracting(Object::toString)
                .containsExactly(stomp + ":7 imports org.apache.activemq.command.ActiveMQQueue");
    }

    // ---- the rules ----

    private static List<Import> protocolLibraryImports(List<Import> imports) {
        return imports.stream().filter(i -> i.isInAny(PROTOCOL_LIBRARIES)).toList();
    }

    /** Imports of io.junction packages other than the SPI, the model, and any protocol package. */
    private static List<Import> coreInternalsImports(List<Path> modules) {
        return modules.stream()
                .flatMap(module -> importsUnder(module).stream())
                .filter(i -> i.isIn(JUNCTION) && !i.isInAny(CORE_API) && !i.isInAny(PROTOCOL_PACKAGES))
                .toList();
    }

    private static List<Import> crossProtocolImports(List<Path> modules) {
        List<Import> found = new ArrayList<>();
        for (Path module : modules) {
            String own = ownPackage(module);
            importsUnder(module).stream()
                    .filter(i -> i.isInAny(PROTOCOL_PACKAGES) && !i.isIn(own))
                    .forEach(found::add);
        }
        return found;
    }

    // ---- reading the sources ----

    /** The source roots {@code protocol-<name>/src/main/java} found in {@code modulesDir}. */
    private static List<Path> protocolModules(Path modulesDir) {
        try (Stream<Path> children = Files.list(modulesDir)) {
            return children
                    .filter(dir -> dir.getFileName().toString().startsWith("protocol-"))
                    .map(dir -> dir.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ../protocol-stomp/src/main/java} owns {@code io.junction.stomp}. */
    private static String ownPackage(Path sourceRoot) {
        String module = sourceRoot.getParent().getParent().getParent().getFileName().toString();
        return JUNCTION + "." + module.substring("protocol-".length());
    }

    private static List<Import> importsUnder(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .sorted()
                    .flatMap(f -> importsOf(f).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Import> importsOf(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Import> imports = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = IMPORT.matcher(lines.get(i));
            if (m.find()) {
                imports.add(new Import(file, i + 1, m.group(1)));
            }
        }
        return imports;
    }

    private static void assertNone(List<Import> violations, String rule) {
        assertThat(violations)
                .withFailMessage(() -> rule + ":\n  " + String.join("\n  ", violations.stream().map(Object::toString).toList()))
                .isEmpty();
    }

    private static Path write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }
}
