// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.Attr;
import dev.ninefs.protocol.ErrnoException;

/**
 * The second step of a creation in either {@link Security} model (setting the owner, or writing the client's view
 * into xattrs): when it fails, the new file is removed again, so that the client sees the creation fail as a whole.
 */
final class Creations {
    private Creations() {}

    /** Completes a file just made; returns its attributes after. */
    @FunctionalInterface
    interface Finish {
        Attr apply(InodeRef in, Attr made) throws ErrnoException;
    }

    /** {@code made} (named {@code name} in {@code dir}) with its attributes after {@code finish}, or removed. */
    static CephClient.Entry finish(CephClient client, InodeRef dir, String name, boolean directory,
            CephClient.Entry made, Finish finish) throws ErrnoException {
        try {
            return new CephClient.Entry(made.inode(), finish.apply(made.inode(), made.attr()));
        } catch (ErrnoException e) {
            undo(client, dir, name, directory, made.inode());
            throw e;
        }
    }

    /** A regular file just created and opened, with its attributes after {@code finish}, or closed and removed. */
    static CephClient.Opened finish(CephClient client, InodeRef dir, String name, CephClient.Opened opened,
            Finish finish) throws ErrnoException {
        try {
            return new CephClient.Opened(opened.inode(), finish.apply(opened.inode(), opened.attr()), opened.fh());
        } catch (ErrnoException e) {
            client.close(opened.fh());
            undo(client, dir, name, false, opened.inode());
            throw e;
        }
    }

    /** Removes what a failed creation left and drops the caller's reference to it. */
    static void undo(CephClient client, InodeRef dir, String name, boolean directory, InodeRef made) {
        try {
            if (directory) {
                client.rmdir(dir, name);
            } else {
                client.unlink(dir, name);
            }
        } catch (ErrnoException ignored) {
            // it is gone already, or someone else's now
        }
        made.release();
    }
}
