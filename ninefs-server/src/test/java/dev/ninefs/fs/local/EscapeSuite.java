// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Tries to get out of a local export every way we know, and checks that nothing outside was read or written.
 *
 * <p>Layout: {@code base/outside} holds canaries (a file and a directory with a file) whose content, size, mode,
 * owner, and all three times are recorded first; their atime is set far in the past, so under relatime any read
 * of them would move it. {@code base/export} is the export. Every attempt must fail with an errno, except the
 * ".." walks, which must stay at the root. At the end every canary must be as it was, and {@code outside} must
 * hold exactly what it held.
 *
 * <p>Plain Java with a {@code main}, no JUnit, so that {@link LocalEscapeTest} can also run it in a second JVM
 * as an unprivileged user: {@code setpriv --reuid=65534 --regid=65534 --clear-groups java
 * --enable-native-access=ALL-UNNAMED -cp CLASSES dev.ninefs.fs.local.EscapeSuite}.
 */
public final class EscapeSuite {
    private static final long OLD_ATIME = 1000;
    /** The gid the attacks create with: none, so that an unprivileged passthrough server may chown. */
    private static final int NO_GID = -1;

    private final Path base;
    private final Path outside;
    private final Path export;
    private final SecurityModel model;
    private final User user;
    private final Tally tally;

    EscapeSuite(Path base, SecurityModel model) {
        this.base = base;
        this.outside = base.resolve("outside");
        this.export = base.resolve("export");
        this.model = model;
        // As root, act as an ordinary client user; otherwise as ourselves (passthrough cannot chown to others).
        int euid = euid();
        this.user = new User(euid == 0 ? 1234 : euid, "escaper");
        this.tally = new Tally(model);
    }

    /** What {@link #run} found. */
    record Result(SecurityModel model, int attempts, int raceHitsOnSymlink, List<String> failures) {}

    /** Runs every attempt against a fresh tree under {@code base}. */
    static Result run(Path base, SecurityModel model) throws Exception {
        EscapeSuite suite = new EscapeSuite(base, model);
        suite.setUp();
        Map<String, String> before = suite.snapshot();
        try (LocalFileSystem fs = LocalFileSystem.open(suite.export, LocalOptions.of(model))) {
            suite.attack(fs);
        }
        Map<String, String> after = suite.snapshot();
        if (!before.equals(after)) {
            suite.tally.fail("outside changed:\n  before " + before + "\n  after  " + after);
        }
        if (!Files.readString(suite.outside.resolve("canary")).equals("CANARY")
                || !Files.readString(suite.outside.resolve("secretdir/secret")).equals("SECRET")) {
            suite.tally.fail("a canary's content changed");
        }
        return new Result(model, suite.tally.attempts(), suite.tally.raceHits(), suite.tally.failures());
    }

    private void setUp() throws IOException {
        Files.createDirectories(outside.resolve("secretdir"));
        Files.writeString(outside.resolve("canary"), "CANARY");
        Files.writeString(outside.resolve("secretdir/secret"), "SECRET");
        Files.createDirectories(export.resolve("dir/sub"));
        Files.createDirectories(export.resolve("race"));
        Files.writeString(export.resolve("race/canary"), "inside");
        Files.writeString(export.resolve("file"), "inside file");
        // Symlinks planted on the host (or by a passthrough client): the real dangers.
        Files.createSymbolicLink(export.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(export.resolve("to-dotdot"), Path.of(".."));
        Files.createSymbolicLink(export.resolve("to-outside"), outside);
        Files.createSymbolicLink(export.resolve("to-canary"), outside.resolve("canary"));
        Files.createSymbolicLink(export.resolve("to-canary-rel"), Path.of("../outside/canary"));
        Files.createSymbolicLink(export.resolve("chain1"), Path.of("chain2"));
        Files.createSymbolicLink(export.resolve("chain2"), Path.of("chain3"));
        Files.createSymbolicLink(export.resolve("chain3"), Path.of("../outside"));
        Files.createSymbolicLink(export.resolve("dir/up"), Path.of("../../outside"));
        Files.createSymbolicLink(export.resolve("race-link"), outside.resolve("secretdir"));
        for (Path p : List.of(outside.resolve("canary"), outside.resolve("secretdir/secret"), outside,
                outside.resolve("secretdir"))) {
            Files.setAttribute(p, "lastAccessTime", FileTime.from(OLD_ATIME, TimeUnit.SECONDS));
        }
    }

    /**
     * Everything about the outside tree that a read or write would change, taken with stat alone (which changes
     * nothing): a read moves an atime (set far in the past, so relatime updates it), a write moves mtime and ctime,
     * a chmod/chown/xattr change moves ctime, a new or removed entry moves its directory's mtime and nlink.
     */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> state = new TreeMap<>();
        for (Path p : List.of(outside, outside.resolve("canary"), outside.resolve("secretdir"),
                outside.resolve("secretdir/secret"))) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,nlink,lastModifiedTime,"
                    + "lastAccessTime,ctime", LinkOption.NOFOLLOW_LINKS);
            state.put(outside.relativize(p).toString(), new TreeMap<>(a).toString());
        }
        return state;
    }

    private void attempt(String what, Tally.Call call) {
        tally.attempt(what, call);
    }

    private void contained(String what, Tally.Call call) {
        tally.contained(what, call);
    }

    private void attack(LocalFileSystem fs) throws Exception {
        try (Node root = fs.attach(user)) {
            long rootIno = root.getattr().ino();
            symlinkAttacks(root);
            clientSymlinkAttacks(root);
            dotDotAttacks(root, rootIno);
            nameAttacks(root);
            crossExportAttacks(root);
            if (model == SecurityModel.MAPPED_FILE) {
                metadataAttacks(root);
            }
            EscapeRace.run(root, export, tally);
        }
    }

    private static final String[] PLANTED = {"to-root", "to-dotdot", "to-outside", "to-canary", "to-canary-rel",
        "chain1", "chain2", "chain3"};

    /** Through every planted symlink: walk on, open, create, truncate, chmod, xattrs. */
    private void symlinkAttacks(Node root) throws Exception {
        for (String name : PLANTED) {
            throughSymlink(root, name, true);
        }
        try (Node dir = root.walk("dir")) {
            throughSymlink(dir, "up", true);
        }
    }

    private void throughSymlink(Node dir, String name, boolean hostSymlink) throws Exception {
        try (Node link = dir.walk(name)) {
            if (!link.fileId().isSymlink()) {
                tally.fail(name + " was not returned as a symlink");
                return;
            }
            for (String next : new String[] {"canary", "secretdir", "etc", ".", ".."}) {
                attempt("walk " + name + "/" + next, () -> link.walk(next).close());
            }
            attempt("open " + name + " read", () -> link.open(Dotl.O_RDONLY).close());
            attempt("open " + name + " write", () -> link.open(Dotl.O_WRONLY).close());
            attempt("open " + name + " trunc", () -> link.open(Dotl.O_RDWR | Dotl.O_TRUNC).close());
            attempt("open " + name + " dir", () -> link.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY).close());
            attempt("create in " + name, () -> link.create("canary", Dotl.O_RDWR, 0666, NO_GID).node().close());
            attempt("mkdir in " + name, () -> link.mkdir("new", 0777, NO_GID).close());
            attempt("symlink in " + name, () -> link.symlink("new", "x", NO_GID).close());
            attempt("mknod in " + name, () -> link.mknod("new", FileId.S_IFIFO | 0666, 0, 0, NO_GID).close());
            attempt("unlink in " + name, () -> link.unlinkAt("canary", 0));
            attempt("rename in " + name, () -> link.renameAt("canary", link, "moved"));
            attempt("truncate " + name, () -> link.setattr(truncate(0)));
            attempt("setxattr " + name, () -> link.setxattr("user.escape", new byte[] {1}, 0));
            if (hostSymlink && model == SecurityModel.NONE) {
                // none ignores a failed chmod, as it was asked to: the call returns, nothing may have changed
                contained("chmod " + name, () -> link.setattr(chmod(0777)));
            } else if (hostSymlink) {
                attempt("chmod " + name, () -> link.setattr(chmod(0777)));
            }
        }
    }

    /** Symlinks made by the client itself (host symlinks under passthrough, regular files when mapped). */
    private void clientSymlinkAttacks(Node root) throws Exception {
        root.symlink("c-abs", outside.resolve("canary").toString(), NO_GID).close();
        root.symlink("c-rel", "../outside/secretdir", NO_GID).close();
        root.symlink("c-root", "/", NO_GID).close();
        for (String name : new String[] {"c-abs", "c-rel", "c-root"}) {
            throughSymlink(root, name, !model.mapped());
        }
    }

    /** ".." from the root, and chains of it, must stay at the root; then a create there stays inside. */
    private void dotDotAttacks(Node root, long rootIno) throws Exception {
        contained("walk .. from the root", () -> {
            try (Node up = root.walk("..")) {
                check(up.getattr().ino() == rootIno, "left the root");
            }
        });
        contained("walk ../../../.. from the root", () -> {
            Node at = root.duplicate();
            for (int i = 0; i < 8; i++) {
                Node next = at.walk("..");
                at.close();
                at = next;
            }
            try (Node last = at) {
                check(last.getattr().ino() == rootIno, "left the root");
                last.create("canary", Dotl.O_RDWR, 0600, NO_GID).node().close(); // lands in the export root
            }
            check(Files.exists(export.resolve("canary")), "created outside the export");
        });
        contained("walk dir/sub/../../..", () -> {
            try (Node dir = root.walk("dir"); Node sub = dir.walk("sub"); Node up1 = sub.walk("..");
                    Node up2 = up1.walk(".."); Node up3 = up2.walk("..")) {
                check(up3.getattr().ino() == rootIno, "left the root");
            }
        });
    }

    static SetAttr truncate(long size) {
        return new SetAttr(Dotl.SETATTR_SIZE, 0, 0, 0, size, 0, 0, 0, 0);
    }

    private static SetAttr chmod(int mode) {
        return new SetAttr(Dotl.SETATTR_MODE, mode, 0, 0, 0, 0, 0, 0, 0);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** Names with '/' or NUL, "." and ".." where they are no names, and paths. */
    private void nameAttacks(Node root) throws Exception {
        String[] walkBad = {"../outside", "../outside/canary", "/", "/etc", "dir/../..", "a\0b", "..\0", "", "x/"};
        for (String bad : walkBad) {
            attempt("walk '" + bad.replace("\0", "\\0") + "'", () -> root.walk(bad).close());
        }
        String[] entryBad = {"../outside/canary", "../canary", "/tmp/x", "a/b", "a\0b", ".", "..", ""};
        try (Node file = root.walk("file")) {
            for (String bad : entryBad) {
                String shown = bad.replace("\0", "\\0");
                attempt("create '" + shown + "'", () -> root.create(bad, Dotl.O_RDWR, 0600, NO_GID).node().close());
                attempt("mkdir '" + shown + "'", () -> root.mkdir(bad, 0700, NO_GID).close());
                attempt("symlink '" + shown + "'", () -> root.symlink(bad, "x", NO_GID).close());
                attempt("mknod '" + shown + "'", () -> root.mknod(bad, FileId.S_IFREG | 0600, 0, 0, NO_GID).close());
                attempt("unlink '" + shown + "'", () -> root.unlinkAt(bad, 0));
                attempt("rename to '" + shown + "'", () -> root.renameAt("file", root, bad));
                attempt("rename from '" + shown + "'", () -> root.renameAt(bad, root, "stolen"));
                attempt("link '" + shown + "'", () -> root.link(bad, file));
                attempt("Trename to '" + shown + "'", () -> file.rename(root, bad));
            }
            attempt("name of 256 bytes", () -> root.create("n".repeat(256), Dotl.O_RDWR, 0600, NO_GID).node().close());
            attempt("symlink target with NUL", () -> root.symlink("t", "../outside\0", NO_GID).close());
        }
    }

    /** Hard links and renames towards another export (whose root is the outside directory) are EXDEV. */
    private void crossExportAttacks(Node root) throws Exception {
        try (LocalFileSystem other = LocalFileSystem.open(outside, LocalOptions.of(model).withReadOnly(true));
                Node otherRoot = other.attach(user); Node canary = otherRoot.walk("canary");
                Node file = root.walk("file")) {
            attempt("hard link to a file of another export", () -> root.link("stolen", canary));
            attempt("rename into another export", () -> root.renameAt("file", otherRoot, "file"));
            attempt("Trename into another export", () -> file.rename(otherRoot, "file"));
            attempt("hard link from another export", () -> otherRoot.link("planted", file));
        }
    }

    /** mapped-file: the metadata names are nobody's to name. */
    private void metadataAttacks(Node root) throws Exception {
        root.setattr(chmod(0755)); // so that .virtfs_metadata_root exists
        try (Node file = root.walk("file")) {
            file.setattr(chmod(0644)); // so that .virtfs_metadata exists
            for (String meta : new String[] {MappedFile.META_DIR, MappedFile.META_ROOT}) {
                attempt("walk " + meta, () -> root.walk(meta).close());
                attempt("create " + meta, () -> root.create(meta, Dotl.O_RDWR, 0600, NO_GID).node().close());
                attempt("mkdir " + meta, () -> root.mkdir(meta, 0700, NO_GID).close());
                attempt("unlink " + meta, () -> root.unlinkAt(meta, 0));
                attempt("rmdir " + meta, () -> root.unlinkAt(meta, Dotl.AT_REMOVEDIR));
                attempt("rename onto " + meta, () -> root.renameAt("file", root, meta));
                attempt("rename away " + meta, () -> root.renameAt(meta, root, "visible"));
                attempt("link as " + meta, () -> root.link(meta, file));
                attempt("symlink as " + meta, () -> root.symlink(meta, "x", NO_GID).close());
            }
        }
    }

    /** Removes a tree without following symlinks out of it. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static int euid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no Uid in /proc/self/status");
    }

    /** Runs every model in fresh temporary trees; prints the counts; exits 1 on any failure. */
    public static void main(String[] args) throws Exception {
        int total = 0;
        int failed = 0;
        for (SecurityModel model : SecurityModel.values()) {
            Path base = Files.createTempDirectory("ninefs-escape-");
            try {
                Result r = run(base, model);
                total += r.attempts();
                failed += r.failures().size();
                System.out.println("uid " + euid() + " " + model.option() + ": " + r.attempts() + " attempts, "
                        + r.raceHitsOnSymlink() + " race walks landed on the symlink, " + r.failures().size()
                        + " failures");
                r.failures().forEach(f -> System.out.println("  FAIL " + f));
            } finally {
                deleteTree(base);
            }
        }
        System.out.println("escape attempts: " + total + ", failures: " + failed);
        System.exit(failed == 0 ? 0 : 1);
    }
}
