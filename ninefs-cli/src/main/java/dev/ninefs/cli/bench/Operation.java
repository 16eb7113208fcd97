// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one load lane does over and over. Each lane has its own instance, with its own fids and buffers, so that
 * running an operation shares nothing with the other lanes beyond the connection.
 *
 * <p>An operation that the server answers wrongly (a short read or write, a listing with missing entries) throws
 * {@link ErrnoException} like one the server failed: either way it is counted as an error, never as a figure.
 */
sealed interface Operation extends AutoCloseable
        permits Operation.Getattr, Operation.Walk, Operation.Read, Operation.Write, Operation.Create,
                Operation.Readdir, Operation.Mixed {

    /** Runs once; returns the bytes of file data moved (0 for metadata operations). */
    long run() throws IOException;

    /** Clunks the lane's fids. */
    @Override
    void close() throws IOException;

    /**
     * The operation of {@code options.workload()} for lane {@code lane} (0-based over all connections) of
     * {@code lanes}, working on {@code root}, the attach root of its connection.
     */
    static Operation open(BenchOptions options, Fixture fixture, RemoteFile root, int lane, int lanes)
            throws IOException {
        return switch (options.workload()) {
            case GETATTR -> new Getattr(root.walk(fixture.pathOf(Fixture.DATA)));
            case WALK -> new Walk(root, fixture.pathOf(Fixture.DATA));
            case READ -> new Read(openData(root, fixture, Dotl.O_RDONLY), Offsets.of(options, lane, lanes));
            case WRITE -> new Write(openData(root, fixture, Dotl.O_WRONLY), Offsets.of(options, lane, lanes));
            case CREATE -> new Create(root.walk(fixture.pathOf(Fixture.CREATE_DIR)), "c" + lane + ".",
                    new Unlinker());
            case READDIR -> new Readdir(root.walk(fixture.pathOf(Fixture.readdirDir(options.entries()))),
                    options.entries());
            case MIXED -> new Mixed(new Getattr(root.walk(fixture.pathOf(Fixture.DATA))),
                    new Walk(root, fixture.pathOf(Fixture.DATA)),
                    new Read(openData(root, fixture, Dotl.O_RDONLY), Offsets.random(options, lane)),
                    new Write(openData(root, fixture, Dotl.O_WRONLY), Offsets.random(options, lane)),
                    new Create(root.walk(fixture.pathOf(Fixture.CREATE_DIR)), "m" + lane + ".", new Unlinker()),
                    new SplittableRandom(lane * 0x9E3779B97F4A7C15L));
        };
    }

    private static RemoteFile openData(RemoteFile root, Fixture fixture, int flags) throws IOException {
        return root.open(String.join("/", fixture.pathOf(Fixture.DATA)), flags);
    }

    /** Block-aligned offsets in the data file: sequential from a per-lane start, or uniformly random. */
    final class Offsets {
        private final long blocks;
        private final int blockSize;
        private final SplittableRandom random;
        private long next;

        private Offsets(long blocks, int blockSize, long start, SplittableRandom random) {
            this.blocks = blocks;
            this.blockSize = blockSize;
            this.next = start;
            this.random = random;
        }

        static Offsets of(BenchOptions options, int lane, int lanes) {
            if (options.random()) {
                return random(options, lane);
            }
            // Lanes start spread over the file so that they do not all hit the same block.
            return new Offsets(options.blocks(), options.blockSize(), options.blocks() * lane / lanes, null);
        }

        static Offsets random(BenchOptions options, int lane) {
            return new Offsets(options.blocks(), options.blockSize(), 0, new SplittableRandom(lane + 1L));
        }

        int blockSize() {
            return blockSize;
        }

        long next() {
            long block;
            if (random != null) {
                block = random.nextLong(blocks);
            } else {
                block = next;
                next = next + 1 == blocks ? 0 : next + 1;
            }
            return block * blockSize;
        }
    }

    record Getattr(RemoteFile file) implements Operation {
        @Override
        public long run() throws IOException {
            file.getattr(Dotl.GETATTR_BASIC);
            return 0;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    record Walk(RemoteFile root, List<String> names) implements Operation {
        @Override
        public long run() throws IOException {
            root.walk(names).close();
            return 0;
        }

        @Override
        public void close() {}
    }

    /** One read of the block size: a single Tread when it fits the msize, several in flight otherwise. */
    final class Read implements Operation {
        private final RemoteFile file;
        private final Offsets offsets;
        /**
         * Direct, as Write's: large replies land in it straight from the socket, with no copy. Page-aligned, as
         * the kernel client's page cache is: how fast the kernel copies into a buffer depends on where it is
         * (on an AMD EPYC host, 1 MiB replies into a buffer at page + 16, where a plain allocateDirect puts it,
         * took 2-3x the CPU time of a page-aligned one).
         */
        private final ByteBuffer block;

        Read(RemoteFile file, Offsets offsets) {
            this.file = file;
            this.offsets = offsets;
            this.block = ByteBuffer.allocateDirect(offsets.blockSize() + 4096).alignedSlice(4096)
                    .limit(offsets.blockSize()).slice();
        }

        @Override
        public long run() throws IOException {
            long offset = offsets.next();
            block.clear();
            int n = block.capacity() <= file.maxReadSize()
                    ? file.read(offset, block)
                    : file.readFully(offset, block);
            if (n != block.capacity()) {
                throw new ErrnoException(Errno.EIO, "short read: " + n + " of " + block.capacity() + " bytes at "
                        + offset);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** One write of the block size, likewise. */
    final class Write implements Operation {
        private final RemoteFile file;
        private final Offsets offsets;
        private final ByteBuffer block;

        Write(RemoteFile file, Offsets offsets) {
            this.file = file;
            this.offsets = offsets;
            // Direct: the socket sends it without the JDK's copy into a temporary direct buffer. Page-aligned, as
            // Read's: from a plain 1 MiB allocateDirect (page + 16) the kernel's copy into the socket took 2-3x the
            // CPU (generator against the null responder: 500-600 us per 1 MiB write, 210 us page-aligned).
            this.block = ByteBuffer.allocateDirect(offsets.blockSize() + 4096).alignedSlice(4096);
            for (int i = 0; i < block.capacity(); i++) {
                block.put(i, (byte) (i * 13 + 1));
            }
        }

        @Override
        public long run() throws IOException {
            long offset = offsets.next();
            block.clear();
            if (block.capacity() <= file.maxWriteSize()) {
                int n = file.write(offset, block);
                if (n != block.capacity()) {
                    throw new ErrnoException(Errno.EIO, "short write: " + n + " of " + block.capacity()
                            + " bytes at " + offset);
                }
            } else {
                file.writeFully(offset, block);
            }
            return block.capacity();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** Create a new file, clunk it, unlink it (see {@link Unlinker} for servers without Tunlinkat). */
    final class Create implements Operation {
        private final RemoteFile dir;
        private final String prefix;
        private final Unlinker unlinker;
        private long sequence;

        Create(RemoteFile dir, String prefix, Unlinker unlinker) {
            this.dir = dir;
            this.prefix = prefix;
            this.unlinker = unlinker;
        }

        @Override
        public long run() throws IOException {
            String name = prefix + sequence++;
            dir.create(name, Dotl.O_RDWR | Dotl.O_CREAT | Dotl.O_EXCL, 0644).close();
            unlinker.unlink(dir, name, 0);
            return 0;
        }

        @Override
        public void close() throws IOException {
            dir.close();
        }
    }

    /** A full listing of the prepared directory, checked to hold exactly its entries. */
    record Readdir(RemoteFile dir, int entries) implements Operation {
        @Override
        public long run() throws IOException {
            List<Dirent> listed = dir.list();
            if (listed.size() != entries) {
                throw new ErrnoException(Errno.EIO, "listing has " + listed.size() + " entries, expected "
                        + entries);
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            dir.close();
        }
    }

    record Mixed(Getattr getattr, Walk walk, Read read, Write write, Create create, SplittableRandom random)
            implements Operation {
        @Override
        public long run() throws IOException {
            int dice = random.nextInt(100);
            if (dice < 30) {
                return getattr.run();
            } else if (dice < 50) {
                return walk.run();
            } else if (dice < 75) {
                return read.run();
            } else if (dice < 90) {
                return write.run();
            }
            return create.run();
        }

        @Override
        public void close() throws IOException {
            try (getattr; read; write; create) {
                walk.close();
            }
        }
    }
}
