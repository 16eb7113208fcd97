// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.BackendContract;
import dev.ninefs.fs.FileSystem;

/** The synth backend keeps the whole backend contract, every feature included. */
class SynthBackendTest extends BackendContract {

    @Override
    protected FileSystem newFileSystem() {
        return SynthFileSystem.builder().rootOwner(owner().uid(), gid()).build();
    }

    @Override
    protected FileSystem readOnlyView(FileSystem writable) {
        return ((SynthFileSystem) writable).readOnlyView();
    }
}
