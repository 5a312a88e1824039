package meshlog.ops;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the process logs while an action runs: slf4j-simple writes to whatever System.err is at each line. */
final class GitSyncLogCapture {

    interface Action {
        void run() throws Exception;
    }

    private GitSyncLogCapture() {
    }

    /** Runs {@code action}, still writing to the real stderr as well; returns everything written to stderr. */
    static String stderr(Action action) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                saved.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
                saved.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
