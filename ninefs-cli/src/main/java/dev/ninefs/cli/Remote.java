// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.ClientOptions;
import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every client command shares, and the connection they open. */
final class Remote {

    @Option(names = "--msize", paramLabel = "BYTES", description = "msize to ask for (default 1M).")
    String msize;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per-request timeout (default 30).")
    int timeoutSeconds = 30;

    @Option(names = "--uid", paramLabel = "UID", description = "n_uname to attach as (default: your uid).")
    Integer uid;

    @Option(names = "--user", paramLabel = "NAME", description = "uname to attach as (default: your user name).")
    String user;

    @Option(names = "--aname", paramLabel = "ANAME",
            description = "Attach to ANAME and read the whole URI path as a path inside it (for servers such as diod "
                    + "whose anames contain '/').")
    String aname;

    /** Parses a location, honouring --aname. */
    RemotePath locate(String uri) {
        RemotePath p = RemotePath.parse(uri);
        if (aname == null) {
            return p;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        if (!p.aname().isEmpty()) {
            names.add(p.aname());
        }
        names.addAll(p.names());
        return new RemotePath(p.endpoint(), aname, names);
    }

    /** A connection to {@code where}'s server, attached to its export. Close the session when done. */
    Session open(RemotePath where) throws IOException {
        ClientOptions options = ClientOptions.defaults().withTimeout(Duration.ofSeconds(timeoutSeconds));
        if (msize != null) {
            options = options.withMsize(Math.toIntExact(Sizes.parse(msize)));
        }
        Connection connection = Connection.open(where.endpoint(), options);
        try {
            int n = uid != null ? uid : Identity.uid();
            RemoteFile root = connection.attach(user != null ? user : Identity.userName(), where.aname(), n);
            return new Session(connection, root);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** An attached connection: the export's root. */
    record Session(Connection connection, RemoteFile root) implements AutoCloseable {

        /** A new fid for {@code where}'s path (the caller closes it). */
        RemoteFile walk(RemotePath where) throws IOException {
            return where.names().isEmpty() ? root.duplicate() : root.walk(where.names());
        }

        @Override
        public void close() {
            try {
                root.close();
            } catch (IOException ignored) {
                // The connection goes next; a failed clunk changes nothing for the user.
            }
            connection.close();
        }
    }
}
