package io.junction.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Creates a self-signed PKCS12 key store for a TLS listener, for trying TLS out: a new key pair and
 * a certificate for the given host names, made by the {@code keytool} of the JDK running this
 * command. The certificate is also written as PEM beside it, for clients to trust. The password
 * reaches keytool through its environment, never its command line.
 */
@Command(name = "tls-keystore", mixinStandardHelpOptions = true, description = {
        "Create a self-signed PKCS12 key store for a TLS listener (for trying TLS out; use a certificate"
                + " from your CA in production).",
        "The password is taken from --password, asked for when --password has no value, or read from"
                + " $JUNCTION_KEYSTORE_PASSWORD."})
final class TlsKeystoreCommand implements Callable<Integer> {

    static final String PASSWORD_VARIABLE = "JUNCTION_KEYSTORE_PASSWORD";
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    @Option(names = "--out", paramLabel = "FILE",
            description = "Key store to create (default: $JUNCTION_HOME/conf/junction.p12).")
    Path out;

    @Option(names = "--password", arity = "0..1", interactive = true, paramLabel = "PASSWORD",
            description = "Password of the key store and its key (at least 6 characters); without a value it is"
                    + " asked for.")
    char[] password;

    @Option(names = "--hostname", paramLabel = "NAME", split = ",",
            description = "Host name or IP address clients connect to; repeatable (default: localhost,127.0.0.1)."
                    + " The first one is the certificate's CN.")
    List<String> hostnames = new ArrayList<>(List.of("localhost", "127.0.0.1"));

    @Option(names = "--days", paramLabel = "DAYS", description = "Days the certificate is valid (default: 365).")
    int days = 365;

    @Option(names = "--key", paramLabel = "ec|rsa",
            description = "Key type: ec (P-256, default) or rsa (3072 bits, for clients without ECDSA).")
    String key = "ec";

    @Option(names = "--force", description = "Replace an existing key store.")
    boolean force;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path store = (out != null ? out : BrokerOptions.home().resolve("conf").resolve("junction.p12"))
                .toAbsolutePath().normalize();
        Path certificate = store.resolveSibling(withoutExtension(store.getFileName().toString()) + ".crt");
        String secret = password();
        if (days < 1) {
            throw new CommandFailure("--days must be at least 1, was " + days, 2);
        }
        List<String> keyAlgorithm = switch (key) {
            case "ec" -> List.of("-keyalg", "EC", "-groupname", "secp256r1");
            case "rsa" -> List.of("-keyalg", "RSA", "-keysize", "3072");
            default -> throw new CommandFailure("--key must be ec or rsa, was '" + key + "'", 2);
        };
        String san = subjectAlternativeNames();
        if (Files.exists(store)) {
            if (!force) {
                throw new CommandFailure(store + " exists already; use --force to replace it", 1);
            }
            Files.delete(store);
        }
        if (store.getParent() != null) {
            Files.createDirectories(store.getParent());
        }
        List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", "junction"));
        generate.addAll(keyAlgorithm);
        generate.addAll(List.of("-dname", "CN=" + hostnames.get(0) + ",O=Junction self-signed", "-ext", san,
                "-validity", String.valueOf(days), "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE));
        keytool(generate, secret);
        keytool(List.of("-exportcert", "-rfc", "-alias", "junction", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE, "-file", certificate.toString()), secret);
        AdminAudit.record("tls-keystore", "file=" + store + " replaced=" + force + " names=" + hostnames);
        System.out.println("Created " + store + " (self-signed, " + san.substring("SAN=".length()) + ", valid "
                + days + " days) and its certificate " + certificate + " for clients to trust.");
        System.out.println("Use it in a listener with transport: tls and tls: {keyStore: " + store.getFileName()
                + ", keyStorePassword: ${" + PASSWORD_VARIABLE + "}} (paths are relative to the config file).");
        return 0;
    }

    private String password() {
        String secret = password != null ? new String(password) : System.getenv(PASSWORD_VARIABLE);
        if (secret == null || secret.isEmpty()) {
            throw new CommandFailure("no password: give --password (asked for without a value) or set "
                    + PASSWORD_VARIABLE, 2);
        }
        if (secret.length() < 6) {
            throw new CommandFailure("the password must have at least 6 characters (keytool's rule)", 2);
        }
        return secret;
    }

    private String subjectAlternativeNames() {
        if (hostnames.isEmpty()) {
            throw new CommandFailure("--hostname names no host", 2);
        }
        return "SAN=" + hostnames.stream().map(name -> {
            if (isIpLiteral(name)) {
                return "ip:" + name;
            }
            if (!DNS_NAME.matcher(name).matches()) {
                throw new CommandFailure("--hostname '" + name + "' is neither a host name nor an IP address", 2);
            }
            return "dns:" + name;
        }).collect(Collectors.joining(","));
    }

    private static boolean isIpLiteral(String name) {
        if (!name.matches("[0-9.]+") && !name.contains(":")) {
            return false;
        }
        try {
            // A literal is parsed without any name lookup.
            InetAddress.getByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String withoutExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Runs the keytool of the running JDK with the password in its environment. */
    private static void keytool(List<String> args, String secret) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new CommandFailure("keytool not found at " + keytool + "; run with a full JDK (JAVA_HOME)", 1);
        }
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, secret);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new CommandFailure("keytool " + args.get(0) + " did not finish in 60 s", 1);
        }
        if (process.exitValue() != 0) {
            throw new CommandFailure("keytool " + args.get(0) + " failed: " + output.replace('\n', ' '), 1);
        }
    }
}
