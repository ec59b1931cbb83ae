package dev.rigger.controller.bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/** Agent jars for the bootstrap tests. */
final class Agents {

    private Agents() {
    }

    /**
     * The real shaded agent jar: the copy the build names in {@code rigger.agent.jar}, else the provided
     * dependency on the test classpath. Empty when neither exists or the jar lacks its main class.
     */
    static Optional<Path> realAgentJar() throws IOException {
        Stream<String> candidates = Stream.concat(Stream.ofNullable(System.getProperty("rigger.agent.jar")),
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> entry.matches(".*rigger-agent-[^/]*-shaded\\.jar")));
        for (Path jar : candidates.map(Path::of).filter(Files::isRegularFile).toList()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
                if (main != null && file.getEntry(main.replace('.', '/') + ".class") != null) {
                    return Optional.of(jar);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A small program started the way the agent is: it reports its arguments, its java.home and a digest of
     * the first stdin line (never the line itself), then waits until stdin closes, as the agent does.
     */
    static Path standIn(Path dir) throws IOException {
        Path src = dir.resolve("src/StandIn.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, String.join("\n",
                "import java.io.*; import java.nio.charset.StandardCharsets; import java.security.MessageDigest;",
                "public class StandIn {",
                "  public static void main(String[] args) throws Exception {",
                "    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));",
                "    String token = in.readLine();",
                "    byte[] digest = MessageDigest.getInstance(\"SHA-256\").digest(token.getBytes(StandardCharsets.UTF_8));",
                "    StringBuilder hex = new StringBuilder();",
                "    for (byte b : digest) hex.append(String.format(\"%02x\", b));",
                "    System.out.println(\"args=\" + String.join(\" \", args));",
                "    System.out.println(\"java.home=\" + System.getProperty(\"java.home\"));",
                "    System.out.println(\"token.sha256=\" + hex);",
                "    System.out.flush();",
                "    while (in.readLine() != null) { }",
                "    System.err.println(\"stdin closed\");",
                "  }",
                "}", ""));
        Path classes = dir.resolve("classes");
        run("javac", "--release", "17", "-d", classes.toString(), src.toString());
        Path jar = dir.resolve("stand-in.jar");
        run("jar", "--create", "--file", jar.toString(), "--main-class", "StandIn", "-C", classes.toString(), ".");
        return jar;
    }

    private static void run(String tool, String... args) throws IOException {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IOException(tool + " is not available in this JDK"));
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int status = provider.run(writer, writer, args);
        writer.flush();
        if (status != 0) {
            throw new IOException(tool + " failed: " + out);
        }
    }
}
