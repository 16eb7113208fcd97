// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.e2e;

import dev.ninefs.fs.BackendContract;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.synth.SynthFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/** The backend contract through a Unix domain socket: the second socket transport on the same code path. */
@Timeout(60)
class SynthOverUnixSocketTest extends BackendContract {
    private Path dir;

    @Override
    protected FileSystem newFileSystem() throws Exception {
        if (dir == null) {
            dir = Files.createTempDirectory("ninefs-e2e");
        }
        Path sock = Files.createTempFile(dir, "s", ".sock");
        Files.delete(sock);
        return ClientBackedFileSystem.serve(SynthFileSystem.builder().rootOwner(owner().uid(), gid()).build(),
                "unix:" + sock, false);
    }

    @Override
    protected Set<String> knownDifferences() {
        return WireDifferences.ALL;
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.complementOf(EnumSet.of(Feature.XDEV));
    }

    @AfterEach
    void removeSockets() throws Exception {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
            dir = null;
        }
    }
}
