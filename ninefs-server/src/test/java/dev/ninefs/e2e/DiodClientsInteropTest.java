// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with a 9P2000.L client we did not write: diod's own tools (diodls, diodcat, from Debian's diod package)
 * list and read a ninefs export over TCP.
 */
@Timeout(60)
class DiodClientsInteropTest {
    private static final Path DIODLS = Path.of("/usr/sbin/diodls");
    private static final Path DIODCAT = Path.of("/usr/sbin/diodcat");
    private static final byte[] BIG = new byte[3 * 65536 + 123];

    private static NinefsServer server;
    private static String address;

    @BeforeAll
    static void serve() throws IOException {
        assumeTrue(Files.isExecutable(DIODLS) && Files.isExecutable(DIODCAT),
                "diod's clients are not installed (apt-get install diod); bin/test installs them");
        new Random(42).nextBytes(BIG);
        SynthFileSystem fs = SynthFileSystem.builder().build();
        fs.populate(root -> root
                .file("hello.txt", "hello from ninefs\n")
                .file("big.bin", BIG)
                .dir("sub", d -> d.file("a", "1").file("b", "22").symlink("link", "../hello.txt")));
        server = NinefsServer.builder().export(Export.of("share", fs, false)).build();
        Endpoint.Tcp bound = (Endpoint.Tcp) server.listen(Endpoint.parse("tcp://127.0.0.1:0"));
        address = "127.0.0.1:" + bound.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void diodlsListsTheExportRoot() throws Exception {
        Result r = run(DIODLS.toString(), "-s", address, "-a", "share", "/");
        assertEquals(0, r.exit, r.err);
        List<String> names = r.lines();
        assertTrue(names.containsAll(List.of("hello.txt", "big.bin", "sub")), r.out);
    }

    @Test
    void diodlsLongListingShowsSizesAndTypes() throws Exception {
        Result r = run(DIODLS.toString(), "-s", address, "-a", "share", "-l", "sub");
        assertEquals(0, r.exit, r.err);
        // diodls renders every non-directory with '-' (against diod too), so check names, sizes and directories.
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("d") && l.endsWith(" .")), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.matches("^-rw.*\\s2\\s.*\\sb$")), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.matches("^-.*\\s12\\s.*\\slink$")), r.out);
    }

    @Test
    void diodcatReadsSmallAndMultiChunkFilesByteExact() throws Exception {
        Result small = run(DIODCAT.toString(), "-s", address, "-a", "share", "hello.txt");
        assertEquals(0, small.exit, small.err);
        assertEquals("hello from ninefs\n", small.out);
        Result big = run(DIODCAT.toString(), "-s", address, "-a", "share", "big.bin");
        assertEquals(0, big.exit, big.err);
        assertArrayEquals(BIG, big.bytes);
    }

    @Test
    void diodcatOfAMissingFileFailsCleanly() throws Exception {
        Result r = run(DIODCAT.toString(), "-s", address, "-a", "share", "nope");
        assertTrue(r.exit != 0, "diodcat should fail for a missing file");
        assertTrue(r.err.toLowerCase().contains("no such file"), r.err);
    }

    private record Result(int exit, byte[] bytes, String out, String err) {
        List<String> lines() {
            List<String> l = new ArrayList<>(out.lines().map(String::strip).toList());
            l.removeIf(String::isEmpty);
            return l;
        }
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        drain.join();
        return new Result(p.exitValue(), out, new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // The process ended; what was read is what there is.
        }
    }
}
