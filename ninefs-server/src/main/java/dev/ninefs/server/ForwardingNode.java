// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Node} that passes every call to another, the base of decorators (read-only, tracing, qid policies).
 * Nodes and open files coming back are passed through {@link #wrap(Node)} and {@link #wrap(OpenFile)}, so that the
 * decoration follows the whole tree; nodes handed in (rename and link targets) are unwrapped, because a backend
 * only recognises its own nodes.
 */
public abstract class ForwardingNode implements Node {
    private final Node delegate;

    protected ForwardingNode(Node delegate) {
        this.delegate = Objects.requireNonNull(delegate);
    }

    /** The node this one decorates. */
    protected final Node delegate() {
        return delegate;
    }

    /** Decorates a node the delegate returned. */
    protected abstract Node wrap(Node node);

    /** Decorates an open file the delegate returned. */
    protected abstract OpenFile wrap(OpenFile file);

    /** The backend's own node under any number of forwarding layers. */
    public static Node unwrap(Node node) {
        Node n = node;
        while (n instanceof ForwardingNode f) {
            n = f.delegate;
        }
        return n;
    }

    @Override
    public FileId fileId() {
        return delegate.fileId();
    }

    @Override
    public Node walk(String name) throws ErrnoException {
        return wrap(delegate.walk(name));
    }

    @Override
    public FileId childId(String name) throws ErrnoException {
        return delegate.childId(name);
    }

    @Override
    public Node duplicate() throws ErrnoException {
        return wrap(delegate.duplicate());
    }

    @Override
    public Attr getattr() throws ErrnoException {
        return delegate.getattr();
    }

    @Override
    public void setattr(SetAttr changes) throws ErrnoException {
        delegate.setattr(changes);
    }

    @Override
    public OpenFile open(int flags) throws ErrnoException {
        return wrap(delegate.open(flags));
    }

    @Override
    public Created create(String name, int flags, int mode, int gid) throws ErrnoException {
        Created c = delegate.create(name, flags, mode, gid);
        return new Created(wrap(c.node()), wrap(c.file()));
    }

    @Override
    public Node mkdir(String name, int mode, int gid) throws ErrnoException {
        return wrap(delegate.mkdir(name, mode, gid));
    }

    @Override
    public Node symlink(String name, String target, int gid) throws ErrnoException {
        return wrap(delegate.symlink(name, target, gid));
    }

    @Override
    public Node mknod(String name, int mode, int major, int minor, int gid) throws ErrnoException {
        return wrap(delegate.mknod(name, mode, major, minor, gid));
    }

    @Override
    public void link(String name, Node target) throws ErrnoException {
        delegate.link(name, unwrap(target));
    }

    @Override
    public void renameAt(String oldName, Node newDir, String newName) throws ErrnoException {
        delegate.renameAt(oldName, unwrap(newDir), newName);
    }

    @Override
    public void rename(Node newDir, String newName) throws ErrnoException {
        delegate.rename(unwrap(newDir), newName);
    }

    @Override
    public void unlinkAt(String name, int flags) throws ErrnoException {
        delegate.unlinkAt(name, flags);
    }

    @Override
    public void remove() throws ErrnoException {
        delegate.remove();
    }

    @Override
    public String readlink() throws ErrnoException {
        return delegate.readlink();
    }

    @Override
    public StatFs statfs() throws ErrnoException {
        return delegate.statfs();
    }

    @Override
    public byte[] getxattr(String name) throws ErrnoException {
        return delegate.getxattr(name);
    }

    @Override
    public List<String> listxattr() throws ErrnoException {
        return delegate.listxattr();
    }

    @Override
    public void setxattr(String name, byte[] value, int flags) throws ErrnoException {
        delegate.setxattr(name, value, flags);
    }

    @Override
    public void removexattr(String name) throws ErrnoException {
        delegate.removexattr(name);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
