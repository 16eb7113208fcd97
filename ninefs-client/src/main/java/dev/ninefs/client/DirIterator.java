// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Dirent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * All entries of an open directory, one Treaddir (as large as msize allows) at a time, each continuing from the
 * offset of the last entry received, until a Treaddir returns none.
 */
final class DirIterator implements Iterator<Dirent> {
    private final RemoteFile dir;
    private List<Dirent> page = List.of();
    private int index;
    private long offset;
    private boolean done;

    private DirIterator(RemoteFile dir) {
        this.dir = dir;
    }

    static Stream<Dirent> stream(RemoteFile dir) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new DirIterator(dir),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Like iterating, but throwing the IOException itself. */
    static void forEach(RemoteFile dir, Consumer<Dirent> action) throws IOException {
        DirIterator it = new DirIterator(dir);
        while (it.fetch()) {
            action.accept(it.page.get(it.index++));
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return fetch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Dirent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.get(index++);
    }

    /** Whether an entry is ready at {@link #index}, reading the next page if needed. */
    private boolean fetch() throws IOException {
        if (index < page.size()) {
            return true;
        }
        if (done) {
            return false;
        }
        page = dir.readdir(offset, Integer.MAX_VALUE);
        index = 0;
        if (page.isEmpty()) {
            done = true;
            return false;
        }
        offset = page.getLast().offset();
        return true;
    }
}
