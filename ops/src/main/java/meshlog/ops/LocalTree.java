package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gitsync.CommitFiles;
import meshlog.gitsync.TreeEntry;
import meshlog.gitsync.TreeLimits;
import meshlog.gitsync.TreeScan;

/**
 * Files and directories on disk read as git-sync reads a commit's tree, for {@code meshlog validate}: the same
 * {@link TreeScan} with the same limits, and links are never followed. A symbolic link is an entry of its own (as
 * git stores it), and a directory holding {@code .git} (a submodule's checkout, a nested repository) is a
 * submodule entry, not descended into; {@code .git} itself is not part of any tree. A path named on the command
 * line is taken as it is named: a directory given through a link is read (as {@code find -H} does), its links not.
 */
final class LocalTree {

    private LocalTree() {
    }

    /**
     * The paths named on a command line, each checked to exist (a link itself counts, it is not followed).
     *
     * @return null after printing which one is missing
     */
    static List<Path> existing(List<String> paths, String command, java.io.PrintStream err) {
        List<Path> roots = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                err.println("meshlog " + command + ": cannot read " + meshlog.configstore.LogSafe.value(p)
                        + ": no such file or directory");
                return null;
            }
            roots.add(path);
        }
        return roots;
    }

    static CommitFiles read(List<Path> paths, TreeLimits limits) throws IOException {
        TreeScan scan = new TreeScan(limits);
        Map<String, Path> byName = new HashMap<>();
        boolean more = true;
        for (Path root : paths) {
            if (!more) {
                break;
            }
            if (Files.isDirectory(root)) {
                more = walk(root, scan, byName);
            } else {
                more = accept(scan, byName, root, root, attributes(root), true);
            }
        }
        TreeScan.Result result = scan.result();
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : result.toRead()) {
            files.put(name, readBounded(byName.get(name)));
        }
        result.oversized().forEach(name -> files.put(name, CommitFiles.oversized()));
        return CommitFiles.of(result, files, limits);
    }

    /** Depth first in name order, without recursion (a deep tree cannot overflow the stack); false at a limit. */
    private static boolean walk(Path root, TreeScan scan, Map<String, Path> byName) throws IOException {
        Deque<Path> dirs = new ArrayDeque<>();
        dirs.push(root);
        while (!dirs.isEmpty()) {
            Path dir = dirs.pop();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(children::add);
            }
            children.sort(null);
            List<Path> subdirs = new ArrayList<>();
            for (Path child : children) {
                if (child.getFileName().toString().equals(".git")) {
                    continue;
                }
                BasicFileAttributes a = attributes(child);
                if (a.isDirectory() && !Files.exists(child.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                    subdirs.add(child);
                } else if (!accept(scan, byName, child, root, a, false)) {
                    return false;
                }
            }
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                dirs.push(subdirs.get(i));
            }
        }
        return true;
    }

    private static boolean accept(TreeScan scan, Map<String, Path> byName, Path p, Path root,
                                  BasicFileAttributes a, boolean named) {
        TreeEntry.Kind kind = a.isSymbolicLink() ? TreeEntry.Kind.SYMLINK
                : a.isDirectory() ? TreeEntry.Kind.GITLINK : a.isRegularFile() ? TreeEntry.Kind.FILE : null;
        if (kind == null) {
            return true; // a socket or a device: no tree git could commit holds one
        }
        String name = p.toString();
        byName.put(name, p);
        boolean config = named || ConfigCompiler.isConfigFile(root.relativize(p).toString());
        return scan.accept(new TreeEntry(name, kind, kind == TreeEntry.Kind.FILE ? a.size() : 0), config);
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** At most one byte over the per-file limit, should the file have grown since it was listed. */
    private static byte[] readBounded(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(TreeLimits.maxFileBytes() + 1);
        }
    }
}
