// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.bench;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.protocol.Qid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec alone: encode into a reused buffer and decode from a ready frame, for the messages that dominate a
 * file server's traffic. Encode of Twrite/Rread copies the 4 KiB payload into the frame; the WithoutPayload variant
 * is what the server does (head only, payload sent by a gathering write).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class CodecBenchmark {
    private static final Qid QID = new Qid(Qid.QTFILE, 7, 123_456_789L);

    private final ByteBuffer out = ByteBuffer.allocate(1 << 20);
    private Message.Twrite twrite;
    private Message.Rread rread;
    private Message.Tgetattr tgetattr;
    private Message.Rgetattr rgetattr;
    /** 100 entries with names of 12 characters: one Rreaddir of about 3.6 KiB, as a small directory gives. */
    private Message.Rreaddir rreaddir;
    private ByteBuffer twriteFrame;
    private ByteBuffer rreadFrame;
    private ByteBuffer tgetattrFrame;
    private ByteBuffer rgetattrFrame;
    private ByteBuffer rreaddirFrame;

    @Setup
    public void setUp() {
        ByteBuffer data = ByteBuffer.allocate(4096);
        twrite = new Message.Twrite(3, 1L << 20, data);
        rread = new Message.Rread(data);
        tgetattr = new Message.Tgetattr(3, Dotl.GETATTR_BASIC);
        rgetattr = new Message.Rgetattr(Dotl.GETATTR_BASIC, QID, 0100644, 1000, 1000, 1, 0, 65536, 4096, 128,
                1_700_000_000L, 1, 1_700_000_000L, 2, 1_700_000_000L, 3, 0, 0, 0, 0);
        List<Dirent> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(new Dirent(new Qid(Qid.QTFILE, 0, i), i + 1, Dirent.DT_REG, String.format("file-%06d", i)));
        }
        rreaddir = new Message.Rreaddir(entries);
        twriteFrame = frame(twrite);
        rreadFrame = frame(rread);
        tgetattrFrame = frame(tgetattr);
        rgetattrFrame = frame(rgetattr);
        rreaddirFrame = frame(rreaddir);
    }

    private static ByteBuffer frame(Message m) {
        ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(m));
        Codec.encode(1, m, b);
        return b.flip();
    }

    private ByteBuffer encode(Message m) {
        out.clear();
        Codec.encode(1, m, out);
        return out;
    }

    @Benchmark
    public ByteBuffer encodeTwrite4k() {
        return encode(twrite);
    }

    @Benchmark
    public int encodeRread4kWithoutPayload() {
        out.clear();
        return Codec.encodeWithoutPayload(1, rread, out);
    }

    @Benchmark
    public ByteBuffer encodeRread4k() {
        return encode(rread);
    }

    @Benchmark
    public ByteBuffer encodeTgetattr() {
        return encode(tgetattr);
    }

    @Benchmark
    public ByteBuffer encodeRgetattr() {
        return encode(rgetattr);
    }

    @Benchmark
    public ByteBuffer encodeRreaddir100() {
        return encode(rreaddir);
    }

    @Benchmark
    public Frame decodeTwrite4k() throws ProtocolException {
        return Codec.decode(twriteFrame);
    }

    @Benchmark
    public Frame decodeRread4k() throws ProtocolException {
        return Codec.decode(rreadFrame);
    }

    @Benchmark
    public Frame decodeTgetattr() throws ProtocolException {
        return Codec.decode(tgetattrFrame);
    }

    @Benchmark
    public Frame decodeRgetattr() throws ProtocolException {
        return Codec.decode(rgetattrFrame);
    }

    @Benchmark
    public Frame decodeRreaddir100() throws ProtocolException {
        return Codec.decode(rreaddirFrame);
    }
}
