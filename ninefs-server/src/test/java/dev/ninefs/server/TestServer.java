// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A server listening on a real loopback socket, TCP or Unix, for one test. */
final class TestServer implements AutoCloseable {
    enum Transport { TCP, UNIX }

    final NinefsServer server;
    final Endpoint endpoint;
    private final Path socketDir;

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

    RawClient client() throws IOException {
        return RawClient.negotiated(endpoint, 65536);
    }

    RawClient client(int msize) throws IOException {
        return RawClient.negotiated(endpoint, msize);
    }

    RawClient raw() throws IOException {
        return RawClient.connect(endpoint);
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("9p.sock"));
            Files.deleteIfExists(socketDir);
        }
    }
}
