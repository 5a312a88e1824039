package meshlog.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs git and ssh-keygen as a user would, with a 30-second bound and no user or system git config. */
final class Cli {

    private Cli() {
    }

    static String run(Path dir, byte[] stdin, List<String> command) throws IOException, InterruptedException {
        return run(dir, stdin, command, java.util.Map.of());
    }

    static String run(Path dir, byte[] stdin, List<String> command, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        pb.environment().putAll(env);
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_AUTHOR_DATE", "2026-12-07T09:00:00Z");
        pb.environment().put("GIT_COMMITTER_DATE", "2026-12-07T09:00:00Z");
        Process p = pb.start();
        try {
            p.getOutputStream().write(stdin == null ? new byte[0] : stdin);
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException(command + " did not finish in 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(command + " exited " + p.exitValue() + ": "
                        + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    static String run(Path dir, String... command) throws IOException, InterruptedException {
        return run(dir, null, List.of(command));
    }
}
