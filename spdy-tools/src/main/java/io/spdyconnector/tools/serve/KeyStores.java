package io.spdyconnector.tools.serve;

import io.spdyconnector.tools.ExitCodes;
import io.spdyconnector.tools.ToolException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The key stores of {@code spdy serve}: checked before a container is started, so that a wrong
 * password is one clear message on either engine; and without one, a fresh self-signed EC key for
 * localhost, made at each start by the JDK's own {@code keytool}. The JDK has no public API for
 * making certificates; running {@code keytool} from {@code java.home} needs no extra library (Bouncy
 * Castle would add megabytes and signed jars to the shaded jar) and no internal {@code sun.security}
 * classes. An EC key takes a few milliseconds to make, where RSA can take a second.
 */
final class KeyStores {
    static final String ALIAS = "spdy-serve";

    private KeyStores() {
    }

    /** Writes {@code dir/self-signed.p12} for "localhost", loopback addresses and {@code host}; returns its path. */
    static Path createSelfSigned(Path dir, String host, String password) {
        Path keyStore = dir.resolve("self-signed.p12");
        Path keytool = keytool();
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "30",
                "-dname", "CN=localhost, O=spdy serve (self-signed)", "-ext", "SAN=" + subjectAltNames(host),
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password,
                "-keypass", password, "-noprompt"));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(keyStore)) {
                p.destroyForcibly();
                throw new ToolException(ExitCodes.SERVE_FAILED,
                        "keytool could not make a self-signed certificate: " + output + " (or pass --keystore)");
            }
            return keyStore;
        } catch (IOException e) {
            throw new ToolException(ExitCodes.SERVE_FAILED,
                    "cannot run " + keytool + " to make a self-signed certificate: " + e.getMessage()
                            + " (pass --keystore, or run on a JDK)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCodes.SERVE_FAILED, "interrupted while making a certificate", e);
        }
    }

    /** A random password: the key store lives only as long as the server, in a private directory. */
    static String newPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The SHA-256 fingerprint of the server certificate ("AB:CD:..."), which also proves that the key
     * store opens with its password and holds a private key.
     */
    static String fingerprint(Path keyStore, String password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    Certificate c = ks.getCertificate(alias);
                    byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
                    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
                }
            }
            throw new ToolException(ExitCodes.SERVE_FAILED, "no private key in key store " + keyStore);
        } catch (IOException | GeneralSecurityException e) {
            throw new ToolException(ExitCodes.SERVE_FAILED,
                    "cannot read key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    private static String subjectAltNames(String host) {
        StringBuilder san = new StringBuilder("dns:localhost,ip:127.0.0.1,ip:::1");
        if (host != null && !host.isEmpty() && !host.equals("localhost") && !host.equals("0.0.0.0")
                && !host.equals("::") && !host.equals("127.0.0.1")) {
            boolean literal = host.contains(":") || host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            san.append(literal ? ",ip:" : ",dns:").append(host);
        }
        return san.toString();
    }

    private static Path keytool() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
    }
}
