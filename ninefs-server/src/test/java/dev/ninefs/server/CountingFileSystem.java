// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A test decorator that counts nodes and open files handed out and closed, and closes done twice. */
final class CountingFileSystem extends ForwardingFileSystem {
    final AtomicInteger nodesOpen = new AtomicInteger();
    final AtomicInteger filesOpen = new AtomicInteger();
    final AtomicInteger doubleCloses = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();

    CountingFileSystem(FileSystem delegate) {
        super(delegate);
    }

    @Override
    protected Node wrap(Node root) {
        return new CountingNode(root);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            doubleCloses.incrementAndGet();
        }
        super.close();
    }

    private final class CountingNode extends ForwardingNode {
        private final AtomicBoolean done = new AtomicBoolean();

        CountingNode(Node delegate) {
            super(delegate);
            nodesOpen.incrementAndGet();
        }

        @Override
        protected Node wrap(Node node) {
            return new CountingNode(node);
        }

        @Override
        protected OpenFile wrap(OpenFile file) {
            return new CountingFile(file);
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                nodesOpen.decrementAndGet();
                super.close();
            } else {
                doubleCloses.incrementAndGet();
            }
        }
    }

    private final class CountingFile extends ForwardingOpenFile {
        private final AtomicBoolean done = new AtomicBoolean();

        CountingFile(OpenFile delegate) {
            super(delegate);
            filesOpen.incrementAndGet();
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                filesOpen.decrementAndGet();
                super.close();
            } else {
                doubleCloses.incrementAndGet();
            }
        }
    }
}
