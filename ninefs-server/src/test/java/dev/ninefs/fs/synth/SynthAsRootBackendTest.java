// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.BackendContract;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.User;
import java.util.EnumSet;
import java.util.Set;

/**
 * The contract with root as the acting user and no birth times or trusted xattrs, as a backend running as root
 * might declare itself: shows the contract's expectations hold (and skip) for such a backend.
 */
class SynthAsRootBackendTest extends BackendContract {

    @Override
    protected FileSystem newFileSystem() {
        return SynthFileSystem.builder().build();
    }

    @Override
    protected User owner() {
        return new User(0, "root");
    }

    @Override
    protected int gid() {
        return 0;
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.complementOf(EnumSet.of(Feature.BTIME, Feature.XATTR_TRUSTED));
    }
}
