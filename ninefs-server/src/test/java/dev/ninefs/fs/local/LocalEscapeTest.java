// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link EscapeSuite}: as the user the tests run as (root here), and as an unprivileged user in a second JVM
 * started through setpriv(1). Prints the number of attempts.
 */
class LocalEscapeTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path base;

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyEscapeAttemptFailsAndNothingOutsideIsTouched(SecurityModel model) throws Exception {
        EscapeSuite.Result r = EscapeSuite.run(base, model);
        System.out.println("escape suite, " + model.option() + ": " + r.attempts() + " attempts ("
                + r.raceHitsOnSymlink() + " race walks landed on the swapped-in symlink), " + r.failures().size()
                + " failures");
        assertEquals(List.of(), r.failures());
        assertTrue(r.attempts() > 300, "attempts: " + r.attempts());
        assertTrue(r.raceHitsOnSymlink() > 0, "the race never caught the symlink in place");
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void everyEscapeAttemptFailsAsAnUnprivilegedUser() throws Exception {
        assumeTrue(isRoot(), "needs root to drop to an unprivileged user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv(1)");
        // The classes the suite needs, copied where the unprivileged user can read them (not under /root).
        Path classes = Files.createDirectories(base.resolve("classes"));
        List<String> classPath = new ArrayList<>();
        int i = 0;
        for (Class<?> c : List.of(EscapeSuite.class, LocalFileSystem.class, ErrnoException.class)) {
            Path source = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path copy = classes.resolve("cp" + i++ + (Files.isDirectory(source) ? "" : ".jar"));
            copyTree(source, copy);
            classPath.add(copy.toString());
        }
        makeReadable(base);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A short-lived JVM: C1 alone halves its CPU time (C2 compiles would compete with the run on a small host).
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", java.toString(), "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=/tmp", "-cp", String.join(":", classPath),
                EscapeSuite.class.getName())
                .redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the unprivileged run did not finish");
        System.out.println("escape suite as uid " + NOBODY + ":\n" + output);
        assertTrue(output.contains("uid " + NOBODY + " "), "did not run as the unprivileged user:\n" + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("failures: 0"), output);
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .anyMatch(l -> l.substring(4).trim().split("\\s+")[1].equals("0"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void makeReadable(Path root) throws IOException, URISyntaxException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
