// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The backend SPI over the wire: a real {@link NinefsServer} serving {@code backend} on a loopback socket, and
 * every SPI call made through the real client library. Running the backend contract suite on this checks the
 * whole path (client, codec, transport, server dispatch, backend) against the same expectations as the backend
 * alone. Each attach opens its own connection, as two clients would.
 */
public final class ClientBackedFileSystem implements FileSystem {
    private final FileSystem backend;
    private final NinefsServer server;
    private final Endpoint endpoint;
    private final List<Connection> connections = new ArrayList<>();
    private final boolean readOnly;

    private ClientBackedFileSystem(FileSystem backend, NinefsServer server, Endpoint endpoint, boolean readOnly) {
        this.backend = backend;
        this.server = server;
        this.endpoint = endpoint;
        this.readOnly = readOnly;
    }

    /** Serves {@code backend} on {@code listen} (e.g. tcp://127.0.0.1:0 or unix:/tmp/x.sock) as export "e2e". */
    public static ClientBackedFileSystem serve(FileSystem backend, String listen, boolean readOnly) throws IOException {
        NinefsServer server = NinefsServer.builder().export(Export.of("e2e", backend, readOnly)).build();
        try {
            Endpoint bound = server.listen(Endpoint.parse(listen));
            return new ClientBackedFileSystem(backend, server, bound, readOnly);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A second export of the same backend, read-only, on its own server. */
    public ClientBackedFileSystem readOnlyTwin(String listen) throws IOException {
        NinefsServer twin = NinefsServer.builder().export(Export.of("e2e", new Unclosable(backend), true)).build();
        try {
            return new ClientBackedFileSystem(backend, twin, twin.listen(Endpoint.parse(listen)), true);
        } catch (IOException | RuntimeException e) {
            twin.close();
            throw e;
        }
    }

    @Override
    public Node attach(User user) throws ErrnoException {
        try {
            Connection connection = Connection.open(endpoint.connect(), ClientOptions.defaults());
            synchronized (connections) {
                connections.add(connection);
            }
            return new RemoteNode(this, connection.attach(user.name(), "e2e", user.uid()));
        } catch (ErrnoException e) {
            throw e;
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, "attach over the wire: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void close() {
        synchronized (connections) {
            connections.forEach(Connection::close);
            connections.clear();
        }
        server.close();
    }

    /** The same backend, left open when a second server closes its view. */
    private record Unclosable(FileSystem fs) implements FileSystem {
        @Override
        public Node attach(User user) throws ErrnoException {
            return fs.attach(user);
        }

        @Override
        public void close() {}
    }
}
