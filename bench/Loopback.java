// SPDX-License-Identifier: Apache-2.0
// The loopback limits a 9P server on this machine works within, measured in the same run as the servers:
// 1-byte TCP ping-pong round trips per second (what a 1x1 point can reach at best) and a one-way stream rate in
// MB/s (what a 1 MiB read or write can reach at best). Plain blocking sockets on platform threads, TCP_NODELAY,
// like a 9P connection. Run: java bench/Loopback.java [SECONDS]; prints one line of JSON.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;

public class Loopback {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        long nanos = (long) (seconds * 1e9);
        double pingPong = pingPong(nanos);
        double stream = stream(nanos);
        System.out.printf(Locale.ROOT, "{\"pingpong_per_s\":%.1f,\"stream_mb_per_s\":%.1f,\"seconds\":%.2f}%n",
                pingPong, stream, seconds);
    }

    /** Round trips per second of one byte each way. */
    static double pingPong(long nanos) throws Exception {
        try (ServerSocketChannel server = listen()) {
            Thread echo = Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel s = accept(server)) {
                    ByteBuffer b = ByteBuffer.allocateDirect(1);
                    while (s.read(b.clear()) > 0) {
                        s.write(b.flip());
                    }
                } catch (IOException ignored) {
                    // the client is done
                }
            });
            long trips = 0;
            long elapsed;
            try (SocketChannel c = connect(server)) {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                for (int i = 0; i < 1000; i++) { // warm up
                    roundTrip(c, b);
                }
                long start = System.nanoTime();
                do {
                    for (int i = 0; i < 100; i++) {
                        roundTrip(c, b);
                    }
                    trips += 100;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < nanos);
            }
            echo.join();
            return trips / (elapsed / 1e9);
        }
    }

    private static void roundTrip(SocketChannel c, ByteBuffer b) throws IOException {
        c.write(b.clear().put((byte) 1).flip());
        if (c.read(b.clear()) != 1) {
            throw new IOException("echo closed");
        }
    }

    /** One-way MB/s (10^6 bytes) of 1 MiB writes into a reader that discards them. */
    static double stream(long nanos) throws Exception {
        try (ServerSocketChannel server = listen()) {
            long[] received = new long[1];
            Thread sink = Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel s = accept(server)) {
                    ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                    long n;
                    while ((n = s.read(b.clear())) >= 0) {
                        received[0] += n;
                    }
                } catch (IOException ignored) {
                    // the writer is done
                }
            });
            long elapsed;
            long sent = 0;
            try (SocketChannel c = connect(server)) {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                long start = System.nanoTime();
                do {
                    b.clear();
                    while (b.hasRemaining()) {
                        sent += c.write(b);
                    }
                    elapsed = System.nanoTime() - start;
                } while (elapsed < nanos);
            }
            sink.join();
            if (received[0] != sent) {
                throw new IOException("sent " + sent + " bytes but " + received[0] + " arrived");
            }
            return sent / (elapsed / 1e9) / 1e6;
        }
    }

    private static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    private static SocketChannel accept(ServerSocketChannel server) throws IOException {
        SocketChannel s = server.accept();
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return s;
    }

    private static SocketChannel connect(ServerSocketChannel server) throws IOException {
        SocketChannel c = SocketChannel.open(server.getLocalAddress());
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return c;
    }
}
