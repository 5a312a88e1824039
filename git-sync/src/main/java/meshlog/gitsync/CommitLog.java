package meshlog.gitsync;

import java.util.List;
import meshlog.configstore.event.ConfigEvent;

/** Where git-sync records commits: the config-events topic in production. */
public interface CommitLog {

    /** Every event of this repository so far, in log order. */
    List<ConfigEvent> readAll();

    /** Appends the events of one commit atomically: all become visible, or none. */
    void append(List<ConfigEvent> commitEvents);
}
