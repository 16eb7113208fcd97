// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dotl;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "get", mixinStandardHelpOptions = true, description = "Downloads a remote file.",
        footer = {"", "Example: ninefs get tcp://127.0.0.1:5640/share/big.iso ./big.iso"})
final class GetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Remote remote;

    @Option(names = "--progress", negatable = true, description = "Show progress (default: when stderr is a terminal).")
    Boolean progress;

    @Parameters(index = "0", paramLabel = "URI", description = RemotePath.FORMS)
    String uri;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "Where to write (default: the remote name here; a directory: inside it).")
    Path local;

    @Override
    public Integer call() throws Exception {
        RemotePath where = remote.locate(uri);
        Path target = local == null ? Path.of(where.baseName()) : local;
        if (Files.isDirectory(target)) {
            target = target.resolve(where.baseName());
        }
        // Write beside the target and move into place, so a failed download never leaves a truncated file.
        Path parent = target.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
        try (Remote.Session session = remote.open(where); RemoteFile file = session.walk(where)) {
            long size = file.getattr().size();
            file.open(Dotl.O_RDONLY);
            boolean live = progress != null ? progress : System.console() != null;
            Progress p = new Progress(spec.commandLine().getErr(), where.baseName(), size, live);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                Transfer.download(file, out, p);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            p.finish();
        } finally {
            Files.deleteIfExists(partial);
        }
        return 0;
    }
}
