// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SocketDescriptorTest {

    @Test
    void testRunsSeeTheDescriptorOfAnOpenSocketAndNoneOfAClosedOne() throws Exception {
        // The build passes --add-exports java.base/sun.nio.ch=ALL-UNNAMED to tests: the zero-copy paths are tested.
        assertTrue(SocketDescriptor.available(), "tests must run with --add-exports java.base/sun.nio.ch");
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            int fd = SocketDescriptor.of(accepted);
            assertTrue(fd > 2, "descriptor " + fd);
            assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("socket:["));
            assertTrue(SocketDescriptor.of(client) != fd);
            client.close();
            accepted.close();
            assertEquals(-1, SocketDescriptor.of(accepted));
        }
    }
}
