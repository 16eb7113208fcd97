// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server listening on a real loopback socket, TCP or Unix, for one test. Closing it closes the clients it
 * {@linkplain #attached(int) attached}, then the server.
 */
final class TestServer implements AutoCloseable {
    enum Transport { TCP, UNIX }

    /** The msize clients ask for unless a test says otherwise. */
    static final int MSIZE = 65536;

    final NinefsServer server;
    final Endpoint endpoint;
    private final Path socketDir;
    private final List<RawClient> attached = new CopyOnWriteArrayList<>();

    private TestServer(NinefsServer server, Endpoint endpoint, Path socketDir) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketDir = socketDir;
    }

    static TestServer start(NinefsServer server, Transport transport) throws IOException {
        Path dir = null;
        Endpoint asked;
        if (transport == Transport.UNIX) {
            dir = Files.createTempDirectory("ninefs-server-test");
            asked = new Endpoint.Unix(dir.resolve("9p.sock"));
        } else {
            asked = new Endpoint.Tcp("127.0.0.1", 0);
        }
        return new TestServer(server, server.listen(asked), dir);
    }

    static TestServer tcp(NinefsServer server) throws IOException {
        return start(server, Transport.TCP);
    }

    /** A server whose default export (aname "") is {@code fs}. */
    static TestServer exporting(FileSystem fs, Transport transport) throws IOException {
        return start(NinefsServer.builder().export("", fs).build(), transport);
    }

    /** A client that negotiated {@code msize} and attached fid 0 to the default export; closed with the server. */
    RawClient attached(int msize) throws IOException {
        RawClient c = client(msize);
        attached.add(c);
        c.attach(0, "");
        return c;
    }

    RawClient client() throws IOException {
        return client(MSIZE);
    }

    RawClient client(int msize) throws IOException {
        return RawClient.negotiated(endpoint, msize);
    }

    RawClient raw() throws IOException {
        return RawClient.connect(endpoint);
    }

    @Override
    public void close() throws IOException {
        for (RawClient c : attached) {
            c.close();
        }
        server.close();
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("9p.sock"));
            Files.deleteIfExists(socketDir);
        }
    }
}
