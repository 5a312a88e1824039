package meshlog.gitsync.git;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * A remote config repository and how to reach it: {@code file://}, {@code git://}, {@code http(s)://} (a token from
 * a file or an environment variable, read at each fetch so a rotated token is picked up) or {@code ssh://} (one key
 * file, one known_hosts file, strict host key checking). Secrets never appear in {@link #toString()}, in URLs or in
 * the messages of {@link #scrub}.
 *
 * @param url the URL as given, without a password (refused: it would end up in logs and in the mirror's config)
 * @param tokenFile https: a file holding the token, or null
 * @param tokenEnv https: an environment variable holding the token, or null
 * @param sshKey ssh: the private key file
 * @param knownHosts ssh: the known_hosts file the server's key must be in
 */
public record GitRemote(String url, Path tokenFile, String tokenEnv, Path sshKey, Path knownHosts) {

    static final Set<String> SCHEMES = Set.of("file", "git", "http", "https", "ssh");

    /** Checks the URL against its credentials, in words a user can act on. */
    public GitRemote {
        String scheme = scheme(url);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("--repo " + redact(url) + ": a remote URL must start with file://,"
                    + " git://, http://, https:// or ssh:// (scp-like user@host:path is not supported: write"
                    + " ssh://user@host/path)");
        }
        URI u = uri(url);
        if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
            throw new IllegalArgumentException("--repo " + redact(url) + ": a password or token in the URL would be"
                    + " logged and stored; give it with --git-token-file or --git-token-env");
        }
        boolean http = scheme.startsWith("http");
        if ((tokenFile != null || tokenEnv != null) && !http) {
            throw new IllegalArgumentException("--git-token-file/--git-token-env are for http(s):// remotes, not "
                    + scheme + "://");
        }
        if (tokenFile != null && tokenEnv != null) {
            throw new IllegalArgumentException("give one of --git-token-file and --git-token-env, not both");
        }
        if ((sshKey != null || knownHosts != null) && !scheme.equals("ssh")) {
            throw new IllegalArgumentException("--git-ssh-key/--git-known-hosts are for ssh:// remotes, not "
                    + scheme + "://");
        }
        if (scheme.equals("ssh") && (sshKey == null || knownHosts == null)) {
            throw new IllegalArgumentException("--repo " + redact(url) + ": an ssh:// remote needs --git-ssh-key FILE"
                    + " and --git-known-hosts FILE (the server's key is checked strictly against it)");
        }
        for (Path p : new Path[] {tokenFile, sshKey, knownHosts}) {
            if (p != null && !Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " does not exist or is not a file");
            }
        }
        if (tokenEnv != null && System.getenv(tokenEnv) == null) {
            throw new IllegalArgumentException("--git-token-env " + tokenEnv + ": the variable is not set");
        }
    }

    /** Whether {@code repo} (the value of {@code --repo}) names a remote rather than a local directory. */
    public static boolean isUrl(String repo) {
        return repo.matches("(?i)[a-z][a-z0-9+.-]*://.*");
    }

    /** The URL's scheme, lower case; null when it has none. */
    static String scheme(String url) {
        int i = url.indexOf("://");
        return i <= 0 ? null : url.substring(0, i).toLowerCase(Locale.ROOT);
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--repo " + redact(url) + " is not a valid URL: " + e.getReason());
        }
    }

    /** The URL with any user info reduced to the user name, for messages about a URL that was refused. */
    static String redact(String url) {
        return url.replaceFirst("://([^/@:]*):[^/@]*@", "://$1:***@");
    }

    /**
     * A directory name for this remote's mirror: readable (host and path) and unique (a hash of the whole URL), so
     * two remotes never share a mirror and one remote always finds its own again.
     */
    public String mirrorName() {
        String readable = url.replaceFirst("^[a-zA-Z]+://", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        readable = readable.substring(0, Math.min(readable.length(), 80)).replaceAll("^[._]+", "");
        return readable + "-" + sha256(url).substring(0, 12);
    }

    /** The token, read now (a rotated file is picked up at the next fetch); null for remotes without one. */
    String token() throws IOException {
        String t = tokenFile != null ? Files.readString(tokenFile, StandardCharsets.UTF_8)
                : tokenEnv != null ? System.getenv(tokenEnv) : null;
        if (t == null) {
            return null;
        }
        t = t.strip();
        if (t.isEmpty()) {
            throw new IOException((tokenFile != null ? tokenFile : "$" + tokenEnv) + " holds no token");
        }
        return t;
    }

    /**
     * Sets the credentials of one fetch, clone or push. {@code sshDir} holds the ssh client's config, so neither
     * {@code ~/.ssh/config} nor {@code ~/.ssh/known_hosts} nor an agent's keys are used: only the named files.
     *
     * @return the token used, so the caller can {@link #scrub} it from messages; null when none
     */
    public String configure(TransportCommand<?, ?> command, Path sshDir) throws IOException {
        String token = token();
        if (token != null) {
            String user = uri(url).getRawUserInfo();
            // GitHub, GitLab and Gitea take any user name beside a personal access token; GitLab's OAuth tokens
            // need "oauth2", which the URL can name (https://oauth2@gitlab.example/...).
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(user != null ? user : "meshlog",
                    token));
        }
        if (sshKey != null) {
            SshdSessionFactory ssh = sshFactory(sshDir);
            command.setTransportConfigCallback(t -> {
                if (t instanceof SshTransport st) {
                    st.setSshSessionFactory(ssh);
                }
            });
        }
        return token;
    }

    private SshdSessionFactory sshFactory(Path sshDir) throws IOException {
        Files.createDirectories(sshDir);
        Path config = sshDir.resolve("config");
        // Strict: a host whose key is not in the file, or differs, is refused; nothing is ever added to the file.
        Files.writeString(config, String.join("\n", List.of("Host *",
                "  StrictHostKeyChecking yes",
                "  UserKnownHostsFile \"" + knownHosts.toAbsolutePath() + "\"",
                "  GlobalKnownHostsFile none",
                "  IdentityFile \"" + sshKey.toAbsolutePath() + "\"",
                "  IdentitiesOnly yes",
                "  BatchMode yes",
                "  PreferredAuthentications publickey", "")), StandardCharsets.UTF_8);
        Function<File, List<Path>> key = f -> List.of(sshKey.toAbsolutePath());
        return new SshdSessionFactoryBuilder().setHomeDirectory(sshDir.toFile()).setSshDirectory(sshDir.toFile())
                .setConfigFile(f -> config.toFile()).setDefaultIdentities(key)
                .setDefaultKnownHostsFiles(f -> List.of(knownHosts.toAbsolutePath()))
                .setPreferredAuthentications("publickey").build(null);
    }

    /** JGit's words for a refused fetch or push, with what to do where they do not say it. */
    public String explain(String message) {
        String m = message == null ? "" : message;
        if (m.contains("Server key did not validate")) {
            return m + ": the server's host key is not in " + knownHosts + " or differs from the key there"
                    + " (known_hosts is checked strictly; add the server's key, e.g. from ssh-keyscan, once you"
                    + " have verified it)";
        }
        if (m.contains("Authentication is required") || m.contains("not authorized")) {
            return m + (tokenFile == null && tokenEnv == null
                    ? " (the server wants credentials: give --git-token-file FILE or --git-token-env VAR)"
                    : " (the server refused the token from " + (tokenFile != null ? tokenFile : "$" + tokenEnv) + ")");
        }
        return m;
    }

    /** {@code message} with every occurrence of the token replaced, for logs, errors and {@code /readyz}. */
    static String scrub(String message, String token) {
        String m = message == null ? "" : message;
        return token == null || token.isEmpty() ? m : m.replace(token, "***");
    }

    /** The URL and which credentials it uses, never their values. */
    @Override
    public String toString() {
        Map<String, Object> how = new java.util.LinkedHashMap<>();
        if (tokenFile != null) {
            how.put("token-file", tokenFile);
        }
        if (tokenEnv != null) {
            how.put("token-env", tokenEnv);
        }
        if (sshKey != null) {
            how.put("ssh-key", sshKey);
        }
        return how.isEmpty() ? url : url + " " + how;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
