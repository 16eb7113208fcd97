// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.qid.QidMapper;
import java.util.Objects;

/**
 * A file system offered under a name: the aname a Tattach asks for.
 *
 * @param name the aname ("" is allowed: it is also what an attach without aname gets, if it is the default)
 * @param fileSystem the backend, already wrapped in whatever decorators apply (read-only...)
 * @param qids how the files' identities become qids
 */
public record Export(String name, FileSystem fileSystem, QidMapper qids) {
    public Export {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileSystem, "fileSystem");
        Objects.requireNonNull(qids, "qids");
    }

    /**
     * An export of {@code fileSystem} under {@code name} with inode qids; {@code readOnly} (or a backend that says
     * {@link FileSystem#readOnly()}) wraps it so that every change answers EROFS.
     */
    public static Export of(String name, FileSystem fileSystem, boolean readOnly) {
        return of(name, fileSystem, readOnly, QidMapper.inodes());
    }

    /** As {@link #of(String, FileSystem, boolean)}, with the qid policy {@code qids} (a multidevs policy). */
    public static Export of(String name, FileSystem fileSystem, boolean readOnly, QidMapper qids) {
        FileSystem fs = readOnly || fileSystem.readOnly() ? ReadOnlyFileSystem.of(fileSystem) : fileSystem;
        return new Export(name, fs, qids);
    }

    public boolean readOnly() {
        return fileSystem.readOnly();
    }
}
