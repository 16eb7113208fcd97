// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two ninefs servers exporting the same CephFS, end to end: each server has its own CephFileSystem (its own
 * libcephfs client, as two gateways on two hosts), listens on its own TCP port, and is used only through the real
 * client library. What a 9P client does through one gateway, a 9P client of the other sees.
 * {@link CephTwoGatewaysTest} checks the same coherence one layer down, on the backend SPI.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CephTwoServersTest {
    private static final String ANAME = "cephfs";
    private static final int UID = 1000;
    @RegisterExtension
    static final CephTestCluster cluster = CephTestCluster.perClass();

    private final List<AutoCloseable> open = new ArrayList<>();
    private RemoteFile rootA;
    private RemoteFile rootB;

    @BeforeEach
    void twoServersOnOneDirectory() throws Exception {
        String path = cluster.newDirectory("served", 0);
        rootA = attach(serve(CephFileSystem.open(cluster.options(path))));
        rootB = attach(serve(CephFileSystem.open(cluster.options(path))));
    }

    @AfterEach
    void close() throws Exception {
        // clients first, then the servers (which close their CephFileSystem, unmounting its client)
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void aFileWrittenAndClosedThroughServerAIsReadByteExactThroughServerB() throws Exception {
        byte[] data = new byte[6 * 1024 * 1024 + 12345]; // several 9P messages, more than one 4 MiB RADOS object
        new Random(0x6ceb).nextBytes(data);
        try (RemoteFile out = rootA.create("payload", Dotl.O_WRONLY, 0644)) {
            out.writeFully(0, data, 0, data.length);
        }

        try (RemoteFile in = rootB.open("payload", Dotl.O_RDONLY)) {
            assertEquals(data.length, in.getattr().size());
            byte[] back = new byte[data.length + 1];
            assertEquals(data.length, in.readFully(0, back, 0, back.length), "bytes read up to end of file");
            assertArrayEquals(data, java.util.Arrays.copyOf(back, data.length));
        }
    }

    @Test
    void aRenameThroughServerAIsSeenThroughServerB() throws Exception {
        rootA.mkdir("from", 0755);
        rootA.mkdir("to", 0755);
        byte[] content = "moved between gateways".getBytes();
        try (RemoteFile from = rootA.walk("from"); RemoteFile out = from.create("old", Dotl.O_WRONLY, 0644)) {
            out.writeFully(0, content, 0, content.length);
        }
        assertEquals(List.of("old"), names(rootB.walk("from"))); // B has looked the old name up before the rename

        try (RemoteFile from = rootA.walk("from"); RemoteFile to = rootA.walk("to")) {
            from.renameat("old", to, "new");
        }

        var gone = assertThrows(ErrnoException.class, () -> rootB.walk("from/old").close());
        assertEquals(Errno.ENOENT, gone.errno());
        try (RemoteFile in = rootB.open("to/new", Dotl.O_RDONLY)) {
            byte[] back = new byte[100];
            int n = in.readFully(0, back, 0, back.length);
            assertArrayEquals(content, java.util.Arrays.copyOf(back, n));
        }
    }

    @Test
    void aDirectoryCreatedThroughServerBIsListedThroughServerA() throws Exception {
        assertEquals(List.of(), names(rootA.duplicate())); // A has read the directory empty before
        rootB.mkdir("made-by-b", 0750);
        try (RemoteFile sub = rootB.walk("made-by-b"); RemoteFile f = sub.create("inside", Dotl.O_WRONLY, 0600)) {
            assertTrue(f.qid().path() != 0);
        }

        List<Dirent> listed = rootA.list();
        assertEquals(List.of("made-by-b"), listed.stream().map(Dirent::name).toList());
        assertEquals(Dirent.DT_DIR, listed.getFirst().dtype());
        try (RemoteFile sub = rootA.walk("made-by-b")) {
            assertEquals(040750, sub.getattr().mode());
            assertEquals(List.of("inside"), sub.list().stream().map(Dirent::name).toList());
        }
    }

    @Test
    void anUnlinkThroughServerADisappearsInServerB() throws Exception {
        try (RemoteFile f = rootA.create("doomed", Dotl.O_WRONLY, 0644)) {
            f.writeFully(0, new byte[] {1, 2, 3}, 0, 3);
        }
        try (RemoteFile seen = rootB.walk("doomed")) { // B has the file cached before the unlink
            assertEquals(3, seen.getattr().size());
        }

        rootA.unlinkat("doomed", 0);

        var gone = assertThrows(ErrnoException.class, () -> rootB.walk("doomed").close());
        assertEquals(Errno.ENOENT, gone.errno());
        assertEquals(List.of(), names(rootB.duplicate()));
    }

    /** Serves {@code export} on a free loopback port; returns the client URI of its export. */
    private String serve(CephFileSystem export) throws Exception {
        NinefsServer server;
        try {
            server = NinefsServer.builder().export(Export.of(ANAME, export, false)).build();
        } catch (RuntimeException e) {
            export.close();
            throw e;
        }
        open.add(server);
        Endpoint bound = server.listen(Endpoint.parse("tcp://127.0.0.1:0"));
        return bound.toString();
    }

    private RemoteFile attach(String endpoint) throws Exception {
        Connection connection = Connection.open(endpoint);
        open.add(connection);
        RemoteFile root = connection.attach("alice", ANAME, UID);
        open.add(root);
        return root;
    }

    /** The names in {@code dir} (a walked, unopened handle, clunked here), without "." and "..". */
    private static List<String> names(RemoteFile dir) throws Exception {
        try (dir) {
            return dir.list().stream().map(Dirent::name).sorted().toList();
        }
    }
}
