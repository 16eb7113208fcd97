// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.ListingCacheTest.LARGE;
import static dev.ninefs.fs.local.ListingCacheTest.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The listing cache seen by a client over loopback TCP: a change a host process makes directly in a cached
 * directory (never through the server) shows in the very next listing, and cookies from cached and uncached
 * listings mix freely.
 */
@Timeout(120)
class ListingCacheOverWireTest {
    /** Small Treaddirs: a listing is many requests, the first fills the cache and the others resume from it. */
    private static final int COUNT = 8192;

    @TempDir
    Path export;
    private Path big;
    private Path outside;
    private LocalFileSystem fs;
    private NinefsServer server;
    private Connection connection;
    private RemoteFile dir;

    /** A change made on the host, beside the server. */
    enum Change {
        CREATE((big, outside) -> Files.createFile(big.resolve("created"))),
        UNLINK((big, outside) -> Files.delete(big.resolve("entry-00100"))),
        RENAME_IN((big, outside) -> Files.move(outside.resolve("incoming"), big.resolve("incoming"))),
        RENAME_OUT((big, outside) -> Files.move(big.resolve("entry-00200"), outside.resolve("gone"))),
        RENAME_WITHIN((big, outside) -> Files.move(big.resolve("entry-00300"), big.resolve("renamed"))),
        RENAME_OVER((big, outside) -> Files.move(outside.resolve("incoming"), big.resolve("entry-00400"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING)),
        MKDIR((big, outside) -> Files.createDirectory(big.resolve("made-dir"))),
        RMDIR((big, outside) -> Files.delete(big.resolve("sub"))),
        LINK((big, outside) -> Files.createLink(big.resolve("hard-link"), big.resolve("entry-00500"))),
        SYMLINK((big, outside) -> Files.createSymbolicLink(big.resolve("sym-link"), Path.of("entry-00600"))),
        MOVE_THE_DIRECTORY((big, outside) -> Files.move(big, outside.resolve("big")));

        private final HostChange change;

        Change(HostChange change) {
            this.change = change;
        }
    }

    @FunctionalInterface
    interface HostChange {
        void apply(Path big, Path outside) throws Exception;
    }

    @BeforeEach
    void start() throws Exception {
        big = export.resolve("big");
        outside = export.resolve("outside");
        fill(big, LARGE);
        Files.createDirectory(big.resolve("sub"));
        Files.createDirectory(outside);
        Files.createFile(outside.resolve("incoming"));
        fs = LocalFileSystem.open(export, LocalOptions.of(SecurityModel.PASSTHROUGH));
        server = NinefsServer.builder().export(Export.of("e2e", fs, false)).build();
        Endpoint bound = server.listen(Endpoint.parse("tcp://127.0.0.1:0"));
        connection = Connection.open(bound.connect(), ClientOptions.defaults());
        dir = connection.attach("root", "e2e", 0).walk("big");
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close(); // and the export with it
        }
    }

    @ParameterizedTest
    @EnumSource(Change.class)
    void aHostChangeShowsInTheNextListing(Change change) throws Exception {
        assertEquals(host(big), listed(list(dir)));
        assertEquals(host(big), listed(list(dir)));
        ListingCache.Stats primed = fs.listings().stats();
        assertEquals(1, primed.listings(), "the directory is cached: " + primed);
        assertTrue(primed.hits() > 0, primed.toString());

        change.change.apply(big, outside);

        Path now = change == Change.MOVE_THE_DIRECTORY ? outside.resolve("big") : big;
        assertEquals(host(now), listed(list(dir)), "right after " + change);
        assertEquals(host(now), listed(list(dir)), "and from the cache again");
    }

    @Test
    void cookiesOfCachedAndUncachedListingsMix() throws Exception {
        List<Dirent> first = list(dir); // fills
        List<Dirent> cached = list(dir);
        assertEquals(first, cached);
        LocalFileSystem plain = LocalFileSystem.open(export,
                LocalOptions.of(SecurityModel.PASSTHROUGH).withReaddirCache(false));
        try (NinefsServer other = NinefsServer.builder().export(Export.of("e2e", plain, false)).build(); // closes plain
                Connection c = Connection.open(other.listen(Endpoint.parse("tcp://127.0.0.1:0")).connect(),
                        ClientOptions.defaults())) {
            RemoteFile uncachedDir = c.attach("root", "e2e", 0).walk("big");
            assertEquals(first, list(uncachedDir), "same entries, qids and cookies");
            long hits = fs.listings().stats().hits();
            try (RemoteFile a = dir.duplicate(); RemoteFile b = uncachedDir.duplicate()) {
                a.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY);
                b.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY);
                for (int i = 0; i < first.size(); i += 97) {
                    long cookie = first.get(i).offset();
                    assertEquals(b.readdir(cookie, 600), a.readdir(cookie, 600), "after entry " + i);
                }
            }
            assertTrue(fs.listings().stats().hits() > hits, "the cached server resumed from its cache");
        }
    }

    /** A whole listing, Treaddir after Treaddir of {@link #COUNT} bytes, each resuming at the last cookie. */
    static List<Dirent> list(RemoteFile dir) throws Exception {
        List<Dirent> all = new ArrayList<>();
        try (RemoteFile d = dir.duplicate()) {
            d.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY);
            long offset = 0;
            while (true) {
                List<Dirent> page = d.readdir(offset, COUNT);
                if (page.isEmpty()) {
                    return all;
                }
                all.addAll(page);
                offset = page.getLast().offset();
            }
        }
    }

    /** name to "ino type" as a listing shows them. */
    private static Map<String, String> listed(List<Dirent> entries) {
        Map<String, String> m = new TreeMap<>();
        for (Dirent e : entries) {
            String was = m.put(e.name(), e.qid().path() + " " + e.dtype());
            assertEquals(null, was, "listed twice: " + e.name());
        }
        return m;
    }

    /** name to "ino type" as the host has them, "." and ".." included. */
    private Map<String, String> host(Path d) throws Exception {
        Map<String, String> m = new TreeMap<>();
        m.put(".", describe(d));
        m.put("..", describe(d.getParent()));
        try (Stream<Path> entries = Files.list(d)) {
            for (Path p : entries.toList()) {
                m.put(p.getFileName().toString(), describe(p));
            }
        }
        return m;
    }

    private static String describe(Path p) throws Exception {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long ino = (long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        int type = a.isDirectory() ? Dirent.DT_DIR : a.isSymbolicLink() ? Dirent.DT_LNK : Dirent.DT_REG;
        return ino + " " + type;
    }
}
