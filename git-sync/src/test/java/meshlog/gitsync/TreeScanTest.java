package meshlog.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gitsync.TreeEntry.Kind;
import org.junit.jupiter.api.Test;

class TreeScanTest {

    static TreeScan.Result scan(TreeLimits limits, TreeEntry... entries) {
        TreeScan scan = new TreeScan(limits);
        for (TreeEntry e : entries) {
            if (!scan.accept(e)) {
                break;
            }
        }
        return scan.result();
    }

    static List<String> formatted(TreeScan.Result r) {
        return r.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void configFilesAreReadAndOtherFilesOnlyCounted() {
        TreeScan.Result r = scan(TreeLimits.DEFAULTS, new TreeEntry("mesh/a.yaml", Kind.FILE, 10),
                new TreeEntry("README.md", Kind.FILE, 5), new TreeEntry(".github/ci.yml", Kind.FILE, 5),
                new TreeEntry("b.yml", Kind.FILE, 4 * 1024 * 1024 + 1));
        assertThat(r.toRead()).containsExactly("mesh/a.yaml");
        assertThat(r.oversized()).as("left to the parser's per-file limit, never read").containsExactly("b.yml");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.complete()).isTrue();
    }

    @Test
    void linksAtConfigPathsAreErrorsAndOtherLinksArePassedOverUnfollowed() {
        TreeScan.Result r = scan(TreeLimits.DEFAULTS, new TreeEntry("sub.yaml", Kind.GITLINK, 0),
                new TreeEntry("passwd.yaml", Kind.SYMLINK, 0), new TreeEntry("charts", Kind.GITLINK, 0),
                new TreeEntry("etc", Kind.SYMLINK, 0), new TreeEntry("ok.yaml", Kind.FILE, 3));
        assertThat(formatted(r)).containsExactly(
                "sub.yaml:1:1: error [GS0005] a submodule (gitlink): its files are a commit of another repository,"
                        + " which meshlog does not read; commit the config itself, or give the submodule a path that"
                        + " is not *.yaml or *.yml",
                "passwd.yaml:1:1: error [GS0004] a symbolic link: links are never followed, so its target is not"
                        + " read; commit the file itself, or give the link a name that is not *.yaml or *.yml");
        assertThat(r.toRead()).containsExactly("ok.yaml");
        assertThat(r.complete()).as("the rest is still compiled, so every mistake is reported").isTrue();
    }

    @Test
    void eachLimitStopsTheScanWithOneErrorNamingTheLimitAndNothingIsRead() {
        TreeEntry a = new TreeEntry("a.yaml", Kind.FILE, 600);
        TreeEntry b = new TreeEntry("b.yaml", Kind.FILE, 600);
        TreeEntry bin = new TreeEntry("big.bin", Kind.FILE, 5_000);

        TreeScan.Result files = scan(new TreeLimits(1, 10_000, 10_000, 100), a, b);
        assertThat(formatted(files)).containsExactly(":1:1: error [GS0001] the tree has more than 1 files (limit"
                + " --max-files 1, files, links and submodules counted, config or not)");
        assertThat(files.toRead()).isEmpty();
        assertThat(files.complete()).isFalse();

        assertThat(formatted(scan(new TreeLimits(10, 4_000, 10_000, 100), a, bin))).containsExactly(":1:1: error"
                + " [GS0002] the files of the tree total more than 4000 bytes (limit --max-repo-bytes 4000, config"
                + " or not)");
        assertThat(formatted(scan(new TreeLimits(10, 10_000, 1_000, 100), a, bin, b))).containsExactly(":1:1: error"
                + " [GS0003] the YAML files of the tree total more than 1000 bytes (limit --max-commit-bytes 1000);"
                + " nothing was read");
    }

    @Test
    void aScanStopsAtTheFirstEntryOverALimit() {
        TreeScan scan = new TreeScan(new TreeLimits(3, 1L << 30, 1L << 30, 100));
        int accepted = 0;
        for (int i = 0; i < 1_000_000 && scan.accept(new TreeEntry("f" + i + ".yaml", Kind.FILE, 1)); i++) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(scan.accept(new TreeEntry("late.yaml", Kind.FILE, 1))).isFalse();
    }
}
