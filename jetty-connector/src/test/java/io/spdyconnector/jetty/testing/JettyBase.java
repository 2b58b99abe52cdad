package io.spdyconnector.jetty.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A fresh {@code $JETTY_BASE} directory for a jetty-home, prepared the way an operator would. */
public final class JettyBase {
    private final Path home;
    private final Path dir;

    private JettyBase(Path home, Path dir) {
        this.home = home;
        this.dir = dir;
    }

    /** An empty base at {@code dir}; whatever was there before is deleted. */
    public static JettyBase create(Path home, Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return new JettyBase(home, dir);
    }

    public Path home() {
        return home;
    }

    public Path dir() {
        return dir;
    }

    public Path startJar() {
        return home.resolve("start.jar");
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Unzips an overlay archive (modules/, etc/, lib/) into the base. */
    public void unpackOverlay(Path zip) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the base: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    /** {@code java -jar start.jar --add-modules=...}, which writes start.d/*.ini from the templates. */
    public void addModules(String... modules) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", startJar().toString(),
                "--add-modules=" + String.join(",", modules)));
        Path output = dir.resolve("add-modules.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("start.jar --add-modules did not finish in 60 s:\n" + Files.readString(output));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("start.jar --add-modules exited with " + p.exitValue() + ":\n"
                    + Files.readString(output));
        }
    }

    /** Appends property lines to {@code start.d/<module>.ini}, which --add-modules must have created. */
    public void appendIni(String module, String... lines) throws IOException {
        Path ini = dir.resolve("start.d").resolve(module + ".ini");
        if (!Files.isRegularFile(ini)) {
            throw new IllegalStateException("no " + ini + ": was module " + module + " added?");
        }
        Files.writeString(ini, System.lineSeparator() + String.join(System.lineSeparator(), lines)
                + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    public String readIni(String module) throws IOException {
        return Files.readString(dir.resolve("start.d").resolve(module + ".ini"));
    }

    public void write(String relative, byte[] content) throws IOException {
        Path target = dir.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.write(target, content);
    }

    public void createDirectory(String relative) throws IOException {
        Files.createDirectories(dir.resolve(relative));
    }

    /** Copies a class-path resource of the tests into the base. */
    public void copyResource(String resource, String relative) throws IOException {
        try (InputStream in = JettyBase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("no test resource " + resource));
            }
            write(relative, in.readAllBytes());
        }
    }
}
