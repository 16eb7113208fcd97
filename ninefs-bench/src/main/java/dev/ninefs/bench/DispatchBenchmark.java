// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.bench;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message;
import dev.ninefs.server.NinefsServer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's dispatch path without a socket: a real session of a {@link NinefsServer} on the synth backend, fed
 * request frames through a {@link MemoryChannel}. One request at a time (latency of the whole path, hand-offs
 * included) and 16 in flight (throughput when requests overlap, as at 4x16 over TCP).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class DispatchBenchmark {
    private static final int ROOT = 0, FILE = 1;
    private static final int PIPELINE = 16;

    private NinefsServer server;
    private MemoryChannel channel;
    private final ByteBuffer[] getattr = new ByteBuffer[PIPELINE];
    private final ByteBuffer[] read = new ByteBuffer[PIPELINE];
    private final ByteBuffer[] write = new ByteBuffer[PIPELINE];

    @Setup(Level.Trial)
    public void start() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder()
                .contents(root -> root.file("data", new byte[1 << 20]))
                .build();
        server = NinefsServer.builder().export("share", fs).build();
        channel = new MemoryChannel();
        server.serve(channel);
        call(Message.NOTAG, new Message.Tversion(1 << 20, "9P2000.L"), Message.Rversion.class);
        call(1, new Message.Tattach(ROOT, Message.NOFID, "root", "share", 0), Message.Rattach.class);
        call(1, new Message.Twalk(ROOT, FILE, List.of("data")), Message.Rwalk.class);
        call(1, new Message.Tlopen(FILE, Dotl.O_RDWR), Message.Rlopen.class);
        ByteBuffer data = ByteBuffer.allocate(4096);
        for (int tag = 0; tag < PIPELINE; tag++) {
            getattr[tag] = encode(tag, new Message.Tgetattr(FILE, Dotl.GETATTR_BASIC));
            read[tag] = encode(tag, new Message.Tread(FILE, tag * 4096L, 4096));
            write[tag] = encode(tag, new Message.Twrite(FILE, tag * 4096L, data));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    private static ByteBuffer encode(int tag, Message.Request request) {
        ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(request));
        Codec.encode(tag, request, b);
        return b.flip();
    }

    private void call(int tag, Message.Request request, Class<? extends Message.Response> expected)
            throws Exception {
        channel.offer(encode(tag, request));
        Message.Response reply = (Message.Response) Codec.decode(channel.take()).message();
        if (!expected.isInstance(reply)) {
            throw new IllegalStateException(request + " answered " + reply);
        }
    }

    /** Sends {@code frames[0..n)} (a fresh copy each: the server owns a frame once it has it), waits for n replies. */
    private int roundTrips(ByteBuffer[] frames, int n, int expectedType) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            ByteBuffer copy = ByteBuffer.allocate(frames[i].remaining());
            copy.put(frames[i].duplicate()).flip();
            channel.offer(copy);
        }
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer reply = channel.take();
            if (MemoryChannel.typeOf(reply) != expectedType) {
                throw new IllegalStateException("reply of type " + MemoryChannel.typeOf(reply));
            }
            bytes += reply.remaining();
        }
        return bytes;
    }

    @Benchmark
    public int getattr() throws InterruptedException {
        return roundTrips(getattr, 1, Message.RGETATTR);
    }

    @Benchmark
    public int read4k() throws InterruptedException {
        return roundTrips(read, 1, Message.RREAD);
    }

    @Benchmark
    public int write4k() throws InterruptedException {
        return roundTrips(write, 1, Message.RWRITE);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int getattr16InFlight() throws InterruptedException {
        return roundTrips(getattr, PIPELINE, Message.RGETATTR);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int read4k16InFlight() throws InterruptedException {
        return roundTrips(read, PIPELINE, Message.RREAD);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int write4k16InFlight() throws InterruptedException {
        return roundTrips(write, PIPELINE, Message.RWRITE);
    }
}
