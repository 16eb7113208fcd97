// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "put", mixinStandardHelpOptions = true, description = "Uploads a local file (- for standard input).",
        footer = {"", "Example: ninefs put ./big.iso tcp://127.0.0.1:5640/share/big.iso"})
final class PutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Remote remote;

    @Option(names = "--progress", negatable = true, description = "Show progress (default: when stderr is a terminal).")
    Boolean progress;

    @Option(names = {"-m", "--mode"}, paramLabel = "OCTAL", description = "Mode of a new file (default: the local file's, or 644).")
    String mode;

    @Parameters(index = "0", paramLabel = "LOCAL", description = "The file to upload, or - for standard input.")
    String local;

    @Parameters(index = "1", paramLabel = "URI", description = RemotePath.FORMS + " (an existing directory: inside it)")
    String uri;

    @Override
    public Integer call() throws Exception {
        boolean stdin = local.equals("-");
        Path source = stdin ? null : Path.of(local);
        if (source != null && !Files.isRegularFile(source)) {
            throw new IllegalArgumentException(local + " is not a regular file");
        }
        int perm = mode != null ? Modes.parseOctal(mode) : source != null ? permissions(source) : 0644;
        RemotePath where = remote.locate(uri);
        try (Remote.Session session = remote.open(where)) {
            RemotePath target = where;
            try (RemoteFile existing = session.walk(where)) {
                if (existing.qid().isDirectory()) {
                    target = where.child(source != null ? source.getFileName().toString() : "stdin");
                }
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
            if (target.names().isEmpty()) {
                throw new IllegalArgumentException("name a file inside the export, not its root: " + uri);
            }
            try (RemoteFile dir = session.walk(target.parent());
                    InputStream in = new BufferedInputStream(stdin ? System.in : Files.newInputStream(source), 1 << 16)) {
                RemoteFile file = openForWrite(session, dir, target, perm);
                try (file) {
                    long size = source != null ? Files.size(source) : -1;
                    boolean live = progress != null ? progress : System.console() != null;
                    Progress p = new Progress(spec.commandLine().getErr(), target.baseName(), size, live);
                    Transfer.upload(in, file, p);
                    file.fsync(false);
                    p.finish();
                }
            }
        }
        return 0;
    }

    /** Creates the file, or opens and truncates it if it exists. */
    private static RemoteFile openForWrite(Remote.Session session, RemoteFile dir, RemotePath target, int perm)
            throws java.io.IOException {
        try {
            return dir.create(target.baseName(), Dotl.O_WRONLY | Dotl.O_TRUNC, perm);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
        RemoteFile file = session.walk(target);
        try {
            return file.open(Dotl.O_WRONLY | Dotl.O_TRUNC);
        } catch (java.io.IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static int permissions(Path source) throws java.io.IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(source);
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }
}
