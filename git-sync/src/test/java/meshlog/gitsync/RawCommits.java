package meshlog.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * Commits written object by object, as a hostile or broken client could push them: any mode (symbolic link,
 * submodule), one blob named by many paths, ids of objects the repository does not have. Each commit's tree is
 * exactly the entries given; the branch moves to it.
 */
final class RawCommits implements AutoCloseable {

    /** One tree entry: its mode and the object it names. */
    record Entry(FileMode mode, ObjectId id) {
    }

    private final Repository repo;
    private final String branch;
    private final ObjectInserter inserter;

    RawCommits(Repository repo, String branch) {
        this.repo = repo;
        this.branch = branch;
        this.inserter = repo.newObjectInserter();
    }

    Entry file(String content) throws IOException {
        return file(content.getBytes(StandardCharsets.UTF_8));
    }

    Entry file(byte[] content) throws IOException {
        return new Entry(FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, content));
    }

    Entry symlink(String target) throws IOException {
        return new Entry(FileMode.SYMLINK, file(target).id());
    }

    /** A submodule entry: a commit of another repository, which this one does not have. */
    static Entry gitlink() {
        return new Entry(FileMode.GITLINK, ObjectId.fromString("cafebabecafebabecafebabecafebabecafebabe"));
    }

    /** A file whose blob is not in the repository. */
    static Entry missingBlob() {
        return new Entry(FileMode.REGULAR_FILE, ObjectId.fromString("deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"));
    }

    String commit(String message, PersonIdent author, Map<String, Entry> entries) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder b = index.builder();
        for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
            DirCacheEntry d = new DirCacheEntry(e.getKey());
            d.setFileMode(e.getValue().mode());
            d.setObjectId(e.getValue().id());
            b.add(d);
        }
        b.finish();
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(index.writeTree(inserter));
        ObjectId head = repo.resolve(Constants.R_HEADS + branch);
        if (head != null) {
            c.setParentId(head);
        }
        c.setAuthor(author);
        c.setCommitter(author);
        c.setMessage(message);
        ObjectId id = inserter.insert(c);
        inserter.flush();
        RefUpdate ru = repo.updateRef(Constants.R_HEADS + branch);
        ru.setNewObjectId(id);
        ru.setForceUpdate(true);
        RefUpdate.Result r = ru.update();
        if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD) {
            throw new IOException("cannot move " + branch + ": " + r);
        }
        return id.name();
    }

    @Override
    public void close() {
        inserter.close();
    }
}
