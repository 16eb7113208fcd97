// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.ErrnoException;
import java.util.Objects;

/** A {@link FileSystem} that passes every call to another; {@link #wrap} decorates the root it attaches to. */
public abstract class ForwardingFileSystem implements FileSystem {
    private final FileSystem delegate;

    protected ForwardingFileSystem(FileSystem delegate) {
        this.delegate = Objects.requireNonNull(delegate);
    }

    protected final FileSystem delegate() {
        return delegate;
    }

    /** Decorates the root node of an attach. */
    protected abstract Node wrap(Node root);

    @Override
    public Node attach(User user) throws ErrnoException {
        return wrap(delegate.attach(user));
    }

    @Override
    public boolean readOnly() {
        return delegate.readOnly();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
