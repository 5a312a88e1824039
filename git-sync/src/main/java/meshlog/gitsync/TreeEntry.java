package meshlog.gitsync;

/**
 * One entry of a commit's tree, or of a directory {@code meshlog validate} reads, as known before any content is
 * read: the path from the root, what it is, and its size in bytes (0 for links).
 */
public record TreeEntry(String path, Kind kind, long size) {

    /** What an entry is; links of either kind are never followed. */
    public enum Kind {
        /** A regular or executable file. */
        FILE,
        /** A symbolic link: its target is only a path, perhaps outside the tree. */
        SYMLINK,
        /** A submodule (git's gitlink): a commit of another repository, not in this one. */
        GITLINK
    }
}
