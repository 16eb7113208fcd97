// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** The TCP contract over IPv6 loopback. */
class Tcp6FrameChannelTest extends TcpFrameChannelTest {
    private static boolean ipv6Loopback() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    Pair connect() throws Throwable {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback here");
        return pairOver(Endpoint.parse("tcp://[::1]:0"));
    }
}
