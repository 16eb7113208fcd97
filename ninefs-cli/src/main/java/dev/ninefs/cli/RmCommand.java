// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes remote files (and, with -r, directories).")
final class RmCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = {"-r", "--recursive"}, description = "Remove directories and their contents.")
    boolean recursive;

    @Option(names = {"-d", "--dir"}, description = "Remove empty directories.")
    boolean emptyDirs;

    @Option(names = {"-f", "--force"}, description = "No error for missing files.")
    boolean force;

    @Parameters(paramLabel = "URI", arity = "1..*", description = RemotePath.FORMS)
    List<String> uris;

    @Override
    public Integer call() throws Exception {
        for (String uri : uris) {
            RemotePath where = remote.locate(uri);
            if (where.names().isEmpty()) {
                throw new IllegalArgumentException("refusing to remove an export's root: " + uri);
            }
            try (Remote.Session session = remote.open(where); RemoteFile parent = session.walk(where.parent())) {
                remove(parent, where.baseName());
            } catch (ErrnoException e) {
                if (!(force && e.errno() == Errno.ENOENT)) {
                    throw e;
                }
            }
        }
        return 0;
    }

    private void remove(RemoteFile parent, String name) throws IOException {
        boolean isDir;
        try (RemoteFile file = parent.walk(List.of(name))) {
            isDir = file.qid().isDirectory();
            if (isDir && recursive) {
                emptyDirectory(file);
            }
        }
        if (isDir && !recursive && !emptyDirs) {
            throw new ErrnoException(Errno.EISDIR, parent.path() + "/" + name + ": is a directory (use -r or -d)");
        }
        try {
            parent.unlinkat(name, isDir ? Dotl.AT_REMOVEDIR : 0);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.ENOSYS) {
                throw e;
            }
            // Servers without Tunlinkat (diod): walk to the file and Tremove it, as the Linux client does.
            parent.walk(List.of(name)).remove();
        }
    }

    private void emptyDirectory(RemoteFile dir) throws IOException {
        for (Dirent e : dir.list()) {
            remove(dir, e.name());
        }
    }
}
