// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** The {@link EscapeSuite}'s race: a directory swapped for a symlink to the outside while a walk goes through. */
final class EscapeRace {
    /** Walks through the raced directory per model. */
    static final int RACE_ITERATIONS = 2000;

    private EscapeRace() {}

    /**
     * A thread swaps the directory "race" with a symlink to the outside (atomically, RENAME_EXCHANGE) while the
     * walk goes race -> canary and opens, reads, writes, truncates and creates through it. Whenever the walk lands
     * on the symlink every step after it must fail; when it lands on the directory it works inside the export.
     */
    static void run(Node root, Path export, Tally tally) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = Thread.ofPlatform().start(() -> {
            int dirfd = -1;
            try {
                dirfd = Posix.openat(Linux.AT_FDCWD, export.toString(), Linux.O_PATH | Linux.O_DIRECTORY, 0);
                while (!stop.get()) {
                    Posix.renameat2(dirfd, "race", dirfd, "race-link", Linux.RENAME_EXCHANGE);
                }
            } catch (ErrnoException e) {
                tally.fail("swapper: " + e);
            } finally {
                if (dirfd >= 0) {
                    Posix.close(dirfd);
                }
            }
        });
        try {
            for (int i = 0; i < RACE_ITERATIONS; i++) {
                Node raced;
                try {
                    raced = root.walk("race");
                } catch (ErrnoException e) {
                    tally.refused();
                    continue; // the name was between swaps: also a refusal
                }
                try (raced) {
                    if (raced.fileId().isSymlink()) {
                        tally.raceHit();
                        tally.attempt("race walk through the symlink", () -> raced.walk("canary").close());
                        tally.attempt("race create through the symlink",
                                () -> raced.create("new" + raced.hashCode(), Dotl.O_RDWR, 0600, -1).node().close());
                        continue;
                    }
                    tally.contained("race inside", () -> {
                        try (Node canary = raced.walk("canary"); OpenFile io = canary.open(Dotl.O_RDWR)) {
                            ByteBuffer b = ByteBuffer.allocate(64);
                            io.read(0, b);
                            String seen = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
                            EscapeSuite.check(seen.startsWith("inside"), "read '" + seen + "' through the raced directory");
                            io.write(6, ByteBuffer.wrap("!".getBytes(StandardCharsets.UTF_8)));
                            canary.setattr(EscapeSuite.truncate(6));
                        }
                    });
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
    }
}
