// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live nodes of an export by file identity, so that a rename or unlink done through one node moves or drops
 * the known {@link Location} of every other node of that file (as QEMU rewrites the paths of its fids). Nodes
 * never depend on it for safety: a location is always checked before use.
 */
final class NodeIndex {
    private final ConcurrentHashMap<FileKey, Set<LocalNode>> nodes = new ConcurrentHashMap<>();

    void add(LocalNode node) {
        nodes.compute(node.key(), (k, set) -> {
            Set<LocalNode> live = set == null ? ConcurrentHashMap.newKeySet() : set;
            live.add(node);
            return live;
        });
    }

    void remove(LocalNode node) {
        nodes.computeIfPresent(node.key(), (k, set) -> {
            set.remove(node);
            return set.isEmpty() ? null : set;
        });
    }

    /** The entry {@code oldName} of directory {@code from}, a name of file {@code moved}, is now {@code to}. */
    void renamed(FileKey moved, FileKey from, String oldName, LocalNode toDir, String newName) {
        Set<LocalNode> set = nodes.get(moved);
        if (set != null) {
            for (LocalNode node : set) {
                node.moved(from, oldName, toDir, newName);
            }
        }
    }

    /** The entry {@code name} of directory {@code dir}, a name of file {@code gone}, no longer exists. */
    void unlinked(FileKey gone, FileKey dir, String name) {
        Set<LocalNode> set = nodes.get(gone);
        if (set != null) {
            for (LocalNode node : set) {
                node.forget(dir, name);
            }
        }
    }
}
