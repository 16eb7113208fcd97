// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.e2e.ClientBackedFileSystem;
import dev.ninefs.fs.BackendContract;
import dev.ninefs.fs.FileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The backend contract over a local export of a fresh temporary directory, in one security model: called
 * directly, or ({@link #overWire()}) through the real client library, a TCP loopback connection and the real
 * server. The server checks no permissions itself (as QEMU: the client's kernel enforces them and the server acts
 * as its own user), so the permission tests do not apply; everything else does.
 */
abstract class LocalContract extends BackendContract {
    private final Map<FileSystem, Path> roots = new IdentityHashMap<>();

    /** The security model under test. */
    abstract SecurityModel model();

    /** Whether the calls go through client, socket and server. */
    abstract boolean overWire();

    @Override
    protected FileSystem newFileSystem() throws IOException {
        Path dir = Files.createTempDirectory("ninefs-local-" + model().option() + "-");
        LocalFileSystem local = LocalFileSystem.open(dir, LocalOptions.of(model()));
        FileSystem fs = overWire() ? ClientBackedFileSystem.serve(local, "tcp://127.0.0.1:0", false) : local;
        roots.put(fs, dir);
        return fs;
    }

    @Override
    protected FileSystem readOnlyView(FileSystem writable) throws IOException {
        if (writable instanceof ClientBackedFileSystem remote) {
            return remote.readOnlyTwin("tcp://127.0.0.1:0");
        }
        return LocalFileSystem.open(roots.get(writable), LocalOptions.of(model()).withReadOnly(true));
    }

    @Override
    protected Set<Feature> features() {
        Set<Feature> all = EnumSet.allOf(Feature.class);
        all.remove(Feature.PERMISSIONS);
        // statfs is fstatfs of the host file system, shared with every other process (and the other test JVM):
        // another writer or deleter can move bfree either way during the test, so "free space falls" is a check
        // of the host, not of this backend. statfsNumbersArePlausible still runs.
        all.remove(Feature.STATFS_ACCOUNTING);
        if (overWire()) {
            all.remove(Feature.XDEV); // a fid of one connection means nothing on another; checked directly
        }
        return all;
    }

    /**
     * Over the wire, an empty xattr value cannot be set (Txattrcreate of size 0 removes, as the Linux client and
     * QEMU have it).
     */
    @Override
    protected Set<String> knownDifferences() {
        return overWire() ? Set.of("emptyAndBinaryValuesAreKept") : Set.of();
    }

    @AfterEach
    void removeTemporaryTrees() throws IOException {
        for (Path dir : roots.values()) {
            EscapeSuite.deleteTree(dir);
        }
        roots.clear();
    }
}
