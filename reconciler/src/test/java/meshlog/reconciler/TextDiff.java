package meshlog.reconciler;

import java.util.ArrayList;
import java.util.List;

/** A unified-style line diff (LCS), to show what changed in a golden file. */
final class TextDiff {

    private static final int CONTEXT = 3;

    private TextDiff() {
    }

    static String diff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>(); // each starts with ' ', '-' or '+'
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add(" " + a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add("-" + a[i++]);
            } else {
                lines.add("+" + b[j++]);
            }
        }
        return hunks(lines);
    }

    /** Changed lines with {@link #CONTEXT} lines around them; "@@" where lines are left out. */
    private static String hunks(List<String> lines) {
        boolean[] show = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).charAt(0) != ' ') {
                for (int m = Math.max(0, k - CONTEXT); m <= Math.min(lines.size() - 1, k + CONTEXT); m++) {
                    show[m] = true;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            if (show[k]) {
                if (k == 0 || !show[k - 1]) {
                    sb.append("@@ line ").append(k + 1).append(" @@\n");
                }
                sb.append(lines.get(k)).append('\n');
            }
        }
        return sb.toString();
    }
}
