// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.WriteTarget;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;

/**
 * An export that refuses every change with EROFS, whatever the backend would allow: a decorator, so that no flag
 * travels through the server. Reading, listing, getattr, statfs, xattr reads and locks pass through.
 */
final class ReadOnlyFileSystem extends ForwardingFileSystem {

    private ReadOnlyFileSystem(FileSystem delegate) {
        super(delegate);
    }

    static FileSystem of(FileSystem fs) {
        return fs instanceof ReadOnlyFileSystem ? fs : new ReadOnlyFileSystem(fs);
    }

    @Override
    protected Node wrap(Node root) {
        return new ReadOnlyNode(root);
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    /** Refusing changes never blocks. */
    @Override
    public boolean quickCalls() {
        return delegate().quickCalls();
    }

    private static ErrnoException refused() {
        return new ErrnoException(Errno.EROFS, "read-only export");
    }

    private static final class ReadOnlyNode extends ForwardingNode {
        ReadOnlyNode(Node delegate) {
            super(delegate);
        }

        @Override
        protected Node wrap(Node node) {
            return new ReadOnlyNode(node);
        }

        @Override
        protected OpenFile wrap(OpenFile file) {
            return new ReadOnlyOpenFile(file);
        }

        /** Opening for writing, or to truncate, is a change. */
        @Override
        public OpenFile open(int flags) throws ErrnoException {
            if ((flags & Dotl.O_ACCMODE) != Dotl.O_RDONLY || (flags & Dotl.O_TRUNC) != 0) {
                throw refused();
            }
            return super.open(flags);
        }

        @Override
        public void setattr(SetAttr changes) throws ErrnoException {
            throw refused();
        }

        @Override
        public Created create(String name, int flags, int mode, int gid) throws ErrnoException {
            throw refused();
        }

        @Override
        public Node mkdir(String name, int mode, int gid) throws ErrnoException {
            throw refused();
        }

        @Override
        public Node symlink(String name, String target, int gid) throws ErrnoException {
            throw refused();
        }

        @Override
        public Node mknod(String name, int mode, int major, int minor, int gid) throws ErrnoException {
            throw refused();
        }

        @Override
        public void link(String name, Node target) throws ErrnoException {
            throw refused();
        }

        @Override
        public void renameAt(String oldName, Node newDir, String newName) throws ErrnoException {
            throw refused();
        }

        @Override
        public void rename(Node newDir, String newName) throws ErrnoException {
            throw refused();
        }

        @Override
        public void unlinkAt(String name, int flags) throws ErrnoException {
            throw refused();
        }

        @Override
        public void remove() throws ErrnoException {
            throw refused();
        }

        @Override
        public void setxattr(String name, byte[] value, int flags) throws ErrnoException {
            throw refused();
        }

        @Override
        public void removexattr(String name) throws ErrnoException {
            throw refused();
        }
    }

    private static final class ReadOnlyOpenFile extends ForwardingOpenFile {
        ReadOnlyOpenFile(OpenFile delegate) {
            super(delegate);
        }

        /** Only read-only opens get through {@link ReadOnlyNode#open}, so this is EBADF, as write(2) says. */
        @Override
        public int write(long offset, ByteBuffer src) throws ErrnoException {
            throw new ErrnoException(Errno.EBADF, "read-only export: not open for writing");
        }

        /** Nothing is written here: write() says why. */
        @Override
        public WriteTarget writeTarget() {
            return null;
        }
    }
}
