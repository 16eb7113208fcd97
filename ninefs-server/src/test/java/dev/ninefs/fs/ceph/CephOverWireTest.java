// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.e2e.ClientBackedFileSystem;
import dev.ninefs.fs.FileSystem;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * The backend contract on a real CephFS through client library → TCP loopback → server → cephfs backend: what a
 * program using our client sees of a cephfs export is what the backend itself does. One mount for the class, as in
 * {@link CephContractTest}; each test serves a fresh sub-export of it on its own server.
 */
@Timeout(60)
class CephOverWireTest extends CephContractTest {
    /**
     * What 9P2000.L itself cannot carry (the same list as {@code dev.ninefs.e2e.WireDifferences}, which is private to
     * its package): Txattrcreate with attr_size 0 is how the Linux client removes an xattr, so the server removes,
     * as QEMU does, and an empty value cannot be set over the wire.
     */
    private static final Set<String> WIRE_DIFFERENCES = Set.of("emptyAndBinaryValuesAreKept");

    @Override
    protected FileSystem newFileSystem() throws Exception {
        return ClientBackedFileSystem.serve(super.newFileSystem(), "tcp://127.0.0.1:0", false);
    }

    @Override
    protected FileSystem readOnlyView(FileSystem writable) throws Exception {
        return ((ClientBackedFileSystem) writable).readOnlyTwin("tcp://127.0.0.1:0");
    }

    @Override
    protected Set<String> knownDifferences() {
        return WIRE_DIFFERENCES;
    }

    @Override
    protected Set<Feature> features() {
        // XDEV holds trivially over the wire (a fid of one connection means nothing on another); the backend's own
        // handling is checked by CephContractTest.
        Set<Feature> features = EnumSet.copyOf(super.features());
        features.remove(Feature.XDEV);
        return features;
    }
}
