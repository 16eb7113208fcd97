// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.client.FileAttr;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.ErrnoException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists a remote directory (or names a file).",
        footer = {"", "Example: ninefs ls -l tcp://127.0.0.1:5640/share/dir"})
final class LsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Mixin
    Remote remote;

    @Option(names = "-l", description = "Long listing: mode, links, owner, size, mtime.")
    boolean longFormat;

    @Option(names = "-a", description = "Include . and .. entries and names starting with a dot.")
    boolean all;

    @Parameters(paramLabel = "URI", arity = "1..*", description = RemotePath.FORMS)
    List<String> uris;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (String uri : uris) {
            RemotePath where = remote.locate(uri);
            try (Remote.Session session = remote.open(where); RemoteFile file = session.walk(where)) {
                if (uris.size() > 1) {
                    out.println(where + ":");
                }
                if (!file.qid().isDirectory()) {
                    print(out, file, where.baseName());
                    continue;
                }
                List<Dirent> entries = new ArrayList<>();
                try (RemoteFile listing = file.duplicate()) {
                    listing.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY);
                    listing.entries().forEach(entries::add);
                }
                entries.removeIf(e -> !all && e.name().startsWith("."));
                entries.sort(Comparator.comparing(Dirent::name));
                for (Dirent e : entries) {
                    if (!longFormat) {
                        out.println(e.name());
                        continue;
                    }
                    try (RemoteFile child = file.walk(List.of(e.name()))) {
                        print(out, child, e.name());
                    } catch (ErrnoException gone) {
                        out.println("?????????? " + e.name() + " (" + gone.errno() + ")");
                    }
                }
            }
            out.flush();
        }
        return 0;
    }

    private void print(PrintWriter out, RemoteFile file, String name) throws java.io.IOException {
        if (!longFormat) {
            out.println(name);
            return;
        }
        FileAttr a = file.getattr();
        String target = a.isSymlink() ? " -> " + file.readlink() : "";
        out.printf(Locale.ROOT, "%s %3d %5d %5d %12d %s %s%s%n", Modes.render(a.mode()), a.nlink(), a.uid(), a.gid(),
                a.size(), TIME.format(a.mtime()), name, target);
    }
}
