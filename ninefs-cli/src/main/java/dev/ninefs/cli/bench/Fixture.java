// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The files a run works on, made through 9P on the server under test, in {@code DIR/ninefs-bench}:
 * {@code data} (the file read, written and stat'ed), {@code dir-N} (N empty files, listed by readdir) and
 * {@code create} (where the create workload makes and removes its files).
 *
 * <p>Fixtures that are already there with the right size or count are reused, so that a series of runs does not
 * rebuild a 10,000-entry directory each time. Whatever this run made is removed by {@link #remove} unless the
 * options say to keep it.
 */
final class Fixture {
    static final String DIR = "ninefs-bench";
    static final String DATA = "data";
    static final String CREATE_DIR = "create";
    /** Bytes written per request while filling the data file. */
    private static final int FILL_CHUNK = 1 << 20;

    private final BenchOptions options;
    /** One root per connection, so that preparing many entries runs on all of them. */
    private final List<RemoteFile> roots;
    private final Unlinker unlinker = new Unlinker();
    private boolean madeBase;
    private final List<String> madeFiles = new ArrayList<>();
    private final List<String> madeDirs = new ArrayList<>();

    Fixture(BenchOptions options, List<RemoteFile> roots) {
        this.options = options;
        this.roots = roots;
    }

    /** Names from the attach root to the fixture directory. */
    List<String> basePath() {
        List<String> names = new ArrayList<>(options.target().names());
        names.add(DIR);
        return names;
    }

    /** Names from the attach root to {@code name} inside the fixture directory. */
    List<String> pathOf(String name) {
        List<String> names = basePath();
        names.add(name);
        return names;
    }

    static String readdirDir(int entries) {
        return "dir-" + entries;
    }

    static String entryName(int i) {
        return String.format(Locale.ROOT, "f%06d", i);
    }

    /** Makes what {@code workload} needs. */
    void prepare() throws IOException {
        RemoteFile root = roots.getFirst();
        try (RemoteFile parent = root.walk(options.target().names())) {
            if (!parent.qid().isDirectory()) {
                throw new ErrnoException(Errno.ENOTDIR, options.target() + " is not a directory");
            }
            if (!exists(parent, DIR)) {
                parent.mkdir(DIR, 0755);
                madeBase = true;
            }
        }
        try (RemoteFile base = root.walk(basePath())) {
            Workload w = options.workload();
            if (w != Workload.READDIR && w != Workload.CREATE) {
                prepareData(base, w.movesData ? options.fileSize() : 0);
            }
            if (w == Workload.CREATE || w == Workload.MIXED) {
                directory(base, CREATE_DIR);
            }
            if (w == Workload.READDIR) {
                prepareDirectory(base);
            }
        }
    }

    private static boolean exists(RemoteFile dir, String name) throws IOException {
        try (RemoteFile f = dir.walk(List.of(name))) {
            return f != null;
        } catch (ErrnoException e) {
            if (e.code() == Errno.ENOENT.code()) {
                return false;
            }
            throw e;
        }
    }

    private void directory(RemoteFile base, String name) throws IOException {
        if (!exists(base, name)) {
            base.mkdir(name, 0755);
            madeDirs.add(name);
        }
    }

    /** The data file, at least {@code size} bytes of a non-zero pattern. */
    private void prepareData(RemoteFile base, long size) throws IOException {
        long have;
        RemoteFile file;
        if (exists(base, DATA)) {
            file = base.walk(List.of(DATA));
            have = file.getattr(Dotl.GETATTR_SIZE).size();
            if (have >= size) {
                file.close();
                return;
            }
            file.open(Dotl.O_WRONLY);
        } else {
            file = base.create(DATA, Dotl.O_WRONLY, 0644);
            madeFiles.add(DATA);
            have = 0;
        }
        try (file) {
            byte[] pattern = new byte[(int) Math.min(FILL_CHUNK, size)];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) (i * 31 + 7);
            }
            for (long at = have; at < size; at += pattern.length) {
                file.writeFully(at, ByteBuffer.wrap(pattern, 0, (int) Math.min(pattern.length, size - at)));
            }
        }
    }

    /** dir-N with exactly the files f000000..f(N-1), made in parallel over every connection. */
    private void prepareDirectory(RemoteFile base) throws IOException {
        String name = readdirDir(options.entries());
        directory(base, name);
        Set<String> present = new HashSet<>();
        try (RemoteFile dir = base.walk(List.of(name))) {
            for (Dirent d : dir.list()) {
                present.add(d.name());
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < options.entries(); i++) {
            if (!present.remove(entryName(i))) {
                missing.add(entryName(i));
            }
        }
        if (!present.isEmpty()) {
            throw new ErrnoException(Errno.EEXIST, "fixture directory " + name + " holds " + present.size()
                    + " unexpected entries (e.g. " + present.iterator().next() + "); remove it");
        }
        parallel(missing.size(), name, (i, dir) -> dir.create(missing.get(i), Dotl.O_RDONLY, 0644).close());
    }

    /** Work on entry {@code index} of a directory, through a directory handle of the worker's own. */
    private interface EntryTask {
        void run(int index, RemoteFile dir) throws IOException;
    }

    /**
     * Runs {@code task} for 0..count-1 on up to 32 virtual threads spread over the connections, each with its own
     * handle on the fixture subdirectory {@code dirName}.
     */
    private void parallel(int count, String dirName, EntryTask task) throws IOException {
        if (count == 0) {
            return;
        }
        int workers = Math.min(32, Math.max(1, count / 64));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    RemoteFile root = roots.get(worker % roots.size());
                    try (RemoteFile dir = root.walk(pathOf(dirName))) {
                        for (int i = worker; i < count; i += workers) {
                            task.run(i, dir);
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("preparing fixtures: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, "interrupted while preparing fixtures");
        }
    }

    /**
     * Removes what {@link #prepare} made (all of the fixture directory if it made that), unless the options say to
     * keep it. Leftovers of failed creates in {@code create} go too.
     */
    void remove() throws IOException {
        if (options.keep()) {
            return;
        }
        RemoteFile root = roots.getFirst();
        if (madeBase) {
            try (RemoteFile base = root.walk(basePath())) {
                for (Dirent d : base.list()) {
                    if (d.qid().isDirectory()) {
                        empty(d.name());
                        unlinker.unlink(base, d.name(), Dotl.AT_REMOVEDIR);
                    } else {
                        unlinker.unlink(base, d.name(), 0);
                    }
                }
            }
            try (RemoteFile parent = root.walk(options.target().names())) {
                unlinker.unlink(parent, DIR, Dotl.AT_REMOVEDIR);
            }
            return;
        }
        try (RemoteFile base = root.walk(basePath())) {
            for (String f : madeFiles) {
                unlinker.unlink(base, f, 0);
            }
            for (String d : madeDirs) {
                empty(d);
                unlinker.unlink(base, d, Dotl.AT_REMOVEDIR);
            }
        }
    }

    private void empty(String dirName) throws IOException {
        List<String> names = new ArrayList<>();
        try (RemoteFile dir = roots.getFirst().walk(pathOf(dirName))) {
            for (Dirent d : dir.list()) {
                names.add(d.name());
            }
        }
        parallel(names.size(), dirName, (i, dir) -> unlinker.unlink(dir, names.get(i), 0));
    }
}
