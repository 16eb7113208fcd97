// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AttachTest {
    private NinefsServer server;

    @BeforeEach
    void build() {
        server = NinefsServer.builder()
                .export("alpha", SynthFileSystem.builder().contents(r -> r.file("a.txt", "from alpha")).build())
                .export("beta", SynthFileSystem.builder().contents(r -> r.file("b.txt", "from beta")).build())
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void anamePicksTheExport(TestServer.Transport transport) throws Exception {
        try (TestServer s = TestServer.start(server, transport); RawClient c = s.client()) {
            assertTrue(c.attach(1, "alpha").isDirectory());
            c.attach(2, "beta");
            c.walk(1, 11, "a.txt");
            c.walk(2, 12, "b.txt");
            assertEquals(Errno.ENOENT, c.error(new Twalk(1, 13, java.util.List.of("b.txt"))));
            c.lopen(11, Dotl.O_RDONLY);
            assertArrayEquals("from alpha".getBytes(StandardCharsets.UTF_8), c.read(11, 0, 100));
            c.lopen(12, Dotl.O_RDONLY);
            assertArrayEquals("from beta".getBytes(StandardCharsets.UTF_8), c.read(12, 0, 100));
            // The first export is the default for an empty aname.
            c.attach(3, "");
            c.walk(3, 13, "a.txt");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Transport.class)
    void attachMistakes(TestServer.Transport transport) throws Exception {
        try (TestServer s = TestServer.start(server, transport); RawClient c = s.client()) {
            assertEquals(Errno.ENOENT, c.error(new Tattach(1, Message.NOFID, "u", "gamma", 0)));
            assertEquals(Errno.EBADF, c.error(new Tattach(1, 7, "u", "alpha", 0)), "afid without auth");
            assertEquals(Errno.ENOENT, c.error(new Tauth(7, "u", "alpha", 0)), "no auth needed, as diod says it");
            c.attach(1, "alpha");
            assertEquals(Errno.EBADF, c.error(new Tattach(1, Message.NOFID, "u", "beta", 0)), "fid in use");
        }
    }
}
