// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.FileAttr;
import dev.ninefs.client.FsStat;
import dev.ninefs.client.RemoteFile;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "stat", mixinStandardHelpOptions = true, description = "Shows a remote file's attributes (Tgetattr).")
final class StatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Remote remote;

    @Option(names = {"-f", "--file-system"}, description = "Show the file system's statfs instead.")
    boolean fileSystem;

    @Parameters(paramLabel = "URI", arity = "1..*", description = RemotePath.FORMS)
    List<String> uris;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (String uri : uris) {
            RemotePath where = remote.locate(uri);
            try (Remote.Session session = remote.open(where); RemoteFile file = session.walk(where)) {
                out.println("  File: " + where);
                if (fileSystem) {
                    FsStat s = file.statfs();
                    out.printf(Locale.ROOT, "  Type: 0x%x  Block size: %d  Max name: %d%n", s.type(), s.bsize(), s.namelen());
                    out.printf(Locale.ROOT, "Blocks: total %d  free %d  available %d%n", s.blocks(), s.bfree(), s.bavail());
                    out.printf(Locale.ROOT, "Inodes: total %d  free %d  fsid 0x%x%n", s.files(), s.ffree(), s.fsid());
                } else {
                    FileAttr a = file.getattr();
                    out.printf(Locale.ROOT, "  Size: %d  Blocks: %d  IO block: %d  %s%n", a.size(), a.blocks(),
                            a.blksize(), type(a));
                    out.printf(Locale.ROOT, "   Qid: type 0x%02x version %d path 0x%x  Links: %d%n", a.qid().type(),
                            Integer.toUnsignedLong(a.qid().version()), a.qid().path(), a.nlink());
                    out.printf(Locale.ROOT, "Access: (%04o/%s)  Uid: %d  Gid: %d%n", a.mode() & 07777,
                            Modes.render(a.mode()), a.uid(), a.gid());
                    if (a.rdev() != 0) {
                        out.printf(Locale.ROOT, "Device: %d,%d%n", a.rdevMajor(), a.rdevMinor());
                    }
                    out.println("Access: " + a.atime());
                    out.println("Modify: " + a.mtime());
                    out.println("Change: " + a.ctime());
                    out.println(" Birth: " + (a.btime() == null || a.btime().getEpochSecond() == 0 ? "-" : a.btime()));
                    if (a.isSymlink()) {
                        out.println("  Link: " + file.readlink());
                    }
                }
            }
        }
        out.flush();
        return 0;
    }

    private static String type(FileAttr a) {
        return switch (a.mode() & 0170000) {
            case 0040000 -> "directory";
            case 0100000 -> "regular file";
            case 0120000 -> "symbolic link";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            case 0010000 -> "fifo";
            case 0140000 -> "socket";
            default -> "unknown type";
        };
    }
}
