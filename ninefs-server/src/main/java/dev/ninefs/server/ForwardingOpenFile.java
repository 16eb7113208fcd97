// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.FileRegion;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.WriteTarget;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** An {@link OpenFile} that passes every call to another, the base of decorators. */
public abstract class ForwardingOpenFile implements OpenFile {
    private final OpenFile delegate;

    protected ForwardingOpenFile(OpenFile delegate) {
        this.delegate = Objects.requireNonNull(delegate);
    }

    protected final OpenFile delegate() {
        return delegate;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        return delegate.read(offset, dst);
    }

    /** Passed on: a decorator that changes what {@link #read} returns overrides this with null. */
    @Override
    public FileRegion region(long offset, int count) throws ErrnoException {
        return delegate.region(offset, count);
    }

    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        return delegate.write(offset, src);
    }

    /** Passed on: a decorator that changes what {@link #write} does overrides this with null. */
    @Override
    public WriteTarget writeTarget() throws ErrnoException {
        return delegate.writeTarget();
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        delegate.readdir(offset, sink);
    }

    @Override
    public void fsync(boolean dataOnly) throws ErrnoException {
        delegate.fsync(dataOnly);
    }

    @Override
    public LockStatus lock(LockRequest request) throws ErrnoException {
        return delegate.lock(request);
    }

    @Override
    public LockRequest getlock(LockRequest request) throws ErrnoException {
        return delegate.getlock(request);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
