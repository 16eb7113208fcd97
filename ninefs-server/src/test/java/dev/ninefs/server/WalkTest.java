// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.synth.SynthFileSystem;
import dev.ninefs.fs.synth.SynthTree;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.*;
import dev.ninefs.protocol.Qid;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WalkTest {
    private TestServer server;
    private RawClient c;

    @BeforeEach
    void start() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder()
                .contents(root -> root.dir("a", a -> a.dir("b", b -> b.file("f", "x"))).file("top", "t")
                        .dir("d", nest(16)))
                .build();
        server = TestServer.tcp(NinefsServer.builder().export("", fs).build());
        c = server.client();
        c.attach(0, "");
    }

    /** d/d/d... sixteen levels below the first d. */
    private static Consumer<SynthTree> nest(int depth) {
        return depth == 0 ? d -> {} : d -> d.dir("d", nest(depth - 1));
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void zeroNamesClones() throws Exception {
        assertEquals(List.of(), c.walk(0, 1));
        assertEquals(c.getattr(0).qid(), c.getattr(1).qid());
        c.clunk(1);
        c.getattr(0); // the original fid is untouched
    }

    @Test
    void fullWalkCreatesNewfidWithEveryQid() throws Exception {
        List<Qid> qids = c.walk(0, 1, "a", "b", "f");
        assertEquals(3, qids.size());
        assertTrue(qids.get(0).isDirectory() && qids.get(1).isDirectory() && !qids.get(2).isDirectory());
        assertEquals(qids.get(2), c.getattr(1).qid());
        c.walk(0, 2, "a", "b");
        assertEquals(c.getattr(0).qid(), c.walk(2, 3, "..", "..").get(1));
        assertEquals(c.getattr(0).qid(), c.walk(0, 4, "..").get(0), "the root's parent is the root");
    }

    @Test
    void failureAtFirstNameIsAnError() throws Exception {
        assertEquals(Errno.ENOENT, c.error(new Twalk(0, 1, List.of("nope", "b"))));
        assertEquals(Errno.EBADF, c.error(new Tclunk(1)));
    }

    @Test
    void failureLaterAnswersThePartialQidsAndCreatesNoFid() throws Exception {
        Rwalk r = c.ok(new Twalk(0, 1, List.of("a", "b", "nope", "x")), Rwalk.class);
        assertEquals(2, r.qids().size());
        assertEquals(Errno.EBADF, c.error(new Tclunk(1)), "newfid must not exist after a partial walk");
        // Walking through a regular file fails at that element too.
        assertEquals(1, c.ok(new Twalk(0, 1, List.of("top", "x")), Rwalk.class).qids().size());
        assertEquals(Errno.EBADF, c.error(new Tclunk(1)));
    }

    @Test
    void sixteenNamesAreFineSeventeenAreEinval() throws Exception {
        List<String> sixteen = Collections.nCopies(16, "d");
        assertEquals(16, c.walk(0, 1, sixteen.toArray(String[]::new)).size());
        // The codec refuses to encode 17 names, so the frame is built by hand.
        int tag = c.freshTag();
        c.sendRaw(tag, twalkFrame(tag, 0, 2, Collections.nCopies(17, "d")));
        assertEquals(new Rlerror(Errno.EINVAL.code()), c.reply(tag));
        assertEquals(Errno.EBADF, c.error(new Tclunk(2)));
    }

    @Test
    void newfidEqualToFidMovesTheFidOnlyOnFullSuccess() throws Exception {
        c.walk(0, 1);
        Qid root = c.getattr(1).qid();
        Rwalk partial = c.ok(new Twalk(1, 1, List.of("a", "nope")), Rwalk.class);
        assertEquals(1, partial.qids().size());
        assertEquals(root, c.getattr(1).qid(), "a partial walk leaves the fid where it was");
        List<Qid> qids = c.walk(1, 1, "a", "b");
        assertEquals(qids.get(1), c.getattr(1).qid());
    }

    @Test
    void newfidInUseIsEbadf() throws Exception {
        c.walk(0, 1);
        assertEquals(Errno.EBADF, c.error(new Twalk(0, 1, List.of("a"))));
        assertEquals(Errno.EBADF, c.error(new Twalk(5, 6, List.of("a"))), "unknown fid");
    }

    /** diodls walks from the directory it is listing to stat each entry; diod and QEMU allow it, so do we. */
    @Test
    void walkingFromAnOpenedFidToANewFidWorks() throws Exception {
        c.walk(0, 1, "a");
        c.lopen(1, Dotl.O_RDONLY | Dotl.O_DIRECTORY);
        assertEquals(1, c.ok(new Twalk(1, 2, List.of("b")), Rwalk.class).qids().size());
        assertEquals(0, c.ok(new Twalk(1, 3, List.of()), Rwalk.class).qids().size());
        c.lopen(3, Dotl.O_RDONLY | Dotl.O_DIRECTORY);
    }

    /** An opened fid cannot become another file in place: that would close its open file under the client. */
    @Test
    void walkingAnOpenedFidInPlaceIsEbadf() throws Exception {
        c.walk(0, 1, "a");
        c.lopen(1, Dotl.O_RDONLY | Dotl.O_DIRECTORY);
        assertEquals(Errno.EBADF, c.error(new Twalk(1, 1, List.of("b"))));
    }

    @Test
    void badNamesAreRefusedBeforeTheBackend() throws Exception {
        assertEquals(Errno.EINVAL, c.error(new Twalk(0, 1, List.of("a/b"))));
        assertEquals(Errno.EINVAL, c.error(new Twalk(0, 1, List.of(""))));
        assertEquals(Errno.EINVAL, c.error(new Twalk(0, 1, List.of("a\0"))));
        assertEquals(Errno.ENAMETOOLONG, c.error(new Twalk(0, 1, List.of("n".repeat(256)))));
        Rwalk partial = c.ok(new Twalk(0, 1, List.of("a", "x/y")), Rwalk.class);
        assertEquals(1, partial.qids().size());
        assertInstanceOf(Rlerror.class, c.call(new Tclunk(1)));
    }

    /** A Twalk frame with any number of names: size type tag fid newfid nwname names. */
    static ByteBuffer twalkFrame(int tag, int fid, int newfid, List<String> names) {
        List<byte[]> encoded = new ArrayList<>();
        int size = 4 + 1 + 2 + 4 + 4 + 2;
        for (String n : names) {
            byte[] b = n.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            encoded.add(b);
            size += 2 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(size).put((byte) Message.TWALK).putShort((short) tag).putInt(fid).putInt(newfid)
                .putShort((short) names.size());
        for (byte[] b : encoded) {
            out.putShort((short) b.length).put(b);
        }
        return out.flip();
    }
}
