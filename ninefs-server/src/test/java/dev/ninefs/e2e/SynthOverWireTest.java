// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import dev.ninefs.fs.BackendContract;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.synth.SynthFileSystem;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * The whole backend contract through client library → TCP loopback → server → synth backend: what a program using
 * our client sees of a synth export is what the backend itself does.
 */
@Timeout(60)
class SynthOverWireTest extends BackendContract {

    @Override
    protected FileSystem newFileSystem() throws Exception {
        return ClientBackedFileSystem.serve(SynthFileSystem.builder().rootOwner(owner().uid(), gid()).build(),
                "tcp://127.0.0.1:0", false);
    }

    @Override
    protected FileSystem readOnlyView(FileSystem writable) throws Exception {
        return ((ClientBackedFileSystem) writable).readOnlyTwin("tcp://127.0.0.1:0");
    }

    @Override
    protected Set<String> knownDifferences() {
        return WireDifferences.ALL;
    }

    @Override
    protected Set<Feature> features() {
        // XDEV holds trivially (a fid of one connection means nothing on another) and is checked by the backend tests.
        return EnumSet.complementOf(EnumSet.of(Feature.XDEV));
    }
}
