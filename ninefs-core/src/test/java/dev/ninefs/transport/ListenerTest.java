// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenerTest {
    @TempDir
    Path dir;

    @Test
    void tcpPortZeroReportsTheBoundPort() throws IOException {
        try (Listener l = Endpoint.parse("tcp://127.0.0.1:0").listen()) {
            Endpoint.Tcp bound = (Endpoint.Tcp) l.endpoint();
            assertEquals("127.0.0.1", bound.host());
            assertTrue(bound.port() > 0);
            try (FrameChannel c = bound.connect(); FrameChannel s = l.accept()) {
                assertTrue(c.peer().endsWith(":" + bound.port()), c.peer());
                assertTrue(s.peer().startsWith("tcp 127.0.0.1:"), s.peer());
            }
        }
    }

    @Test
    void tcpPortInUseNamesTheEndpoint() throws IOException {
        try (Listener l = Endpoint.parse("tcp://127.0.0.1:0").listen()) {
            BindException e = assertThrows(BindException.class, () -> l.endpoint().listen());
            assertTrue(e.getMessage().contains(l.endpoint().toString()), e.getMessage());
        }
    }

    @Test
    void connectingToNobodyIsRefused() throws IOException {
        Endpoint free;
        try (Listener l = Endpoint.parse("tcp://127.0.0.1:0").listen()) {
            free = l.endpoint();
        }
        assertThrows(ConnectException.class, free::connect);
        assertThrows(IOException.class, () -> new Endpoint.Unix(dir.resolve("nobody.sock")).connect());
    }

    @Test
    void closingAListenerEndsABlockedAcceptWithNull() throws Exception {
        for (String uri : new String[] {"tcp://127.0.0.1:0", "unix:" + dir.resolve("a.sock")}) {
            Listener l = Endpoint.parse(uri).listen();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch accepting = new CountDownLatch(1);
                Future<FrameChannel> accepted = pool.submit(() -> {
                    accepting.countDown();
                    return l.accept();
                });
                accepting.await();
                l.close();
                assertNull(accepted.get(20, TimeUnit.SECONDS), uri);
                assertNull(l.accept(), "and after");
            }
        }
    }

    @Test
    void unixListenerRemovesItsSocketFileOnClose() throws IOException {
        Path sock = dir.resolve("s.sock");
        Listener l = new Endpoint.Unix(sock).listen();
        assertTrue(Files.exists(sock));
        l.close();
        assertFalse(Files.exists(sock));
        l.close(); // twice is harmless
    }

    @Test
    void unixListenerReplacesAStaleSocketFile() throws IOException {
        Path sock = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock)); // the JDK leaves the file behind on close
        }
        assertTrue(Files.exists(sock));
        try (Listener l = new Endpoint.Unix(sock).listen(); FrameChannel c = l.endpoint().connect();
                FrameChannel s = l.accept()) {
            assertNotNull(s);
            assertEquals("unix", c.peer());
        }
    }

    @Test
    void unixListenerNeverDeletesARegularFile() throws IOException {
        Path file = dir.resolve("precious");
        Files.writeString(file, "data");
        assertThrows(FileAlreadyExistsException.class, () -> new Endpoint.Unix(file).listen());
        assertEquals("data", Files.readString(file));
    }

    @Test
    void unixListenerDoesNotStealALiveServersSocket() throws IOException {
        Path sock = dir.resolve("live.sock");
        try (Listener first = new Endpoint.Unix(sock).listen()) {
            assertThrows(BindException.class, () -> new Endpoint.Unix(sock).listen());
            try (FrameChannel c = first.endpoint().connect(); FrameChannel s = first.accept()) {
                assertNotNull(s, "the first server still gets its connections");
                assertEquals("unix", c.peer());
            }
        }
    }

    @Test
    void unixListenerLeavesAFileThatReplacedItsSocketAlone() throws IOException {
        Path sock = dir.resolve("moved.sock");
        Listener l = new Endpoint.Unix(sock).listen();
        Files.delete(sock);
        Files.writeString(sock, "someone else's");
        l.close();
        assertEquals("someone else's", Files.readString(sock));
    }

    @Test
    void badFileDescriptorsFailWithAClearMessage() {
        IOException e = assertThrows(IOException.class, () -> Endpoint.parse("fd:100000,100001").listen());
        assertTrue(e.getMessage().contains("100000"), e.getMessage());
    }
}
