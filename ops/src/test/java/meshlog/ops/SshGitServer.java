package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH server on 127.0.0.1 (Apache MINA sshd) serving git repositories under one directory with JGit's
 * {@code UploadPack}/{@code ReceivePack}, as a forge's ssh endpoint does: public-key authentication with one client
 * key, its own host key, {@code git-upload-pack '/name.git'} and {@code git-receive-pack} commands only.
 */
final class SshGitServer implements AutoCloseable {

    private final SshServer sshd;
    private final KeyPair hostKey;
    final Path clientKey;

    private SshGitServer(SshServer sshd, KeyPair hostKey, Path clientKey) {
        this.sshd = sshd;
        this.hostKey = hostKey;
        this.clientKey = clientKey;
    }

    /** Serves the bare repositories under {@code root}; writes the client's private key to {@code keyFile}. */
    static SshGitServer start(Path root, Path keyFile) throws Exception {
        KeyPair host = ecKey();
        KeyPair client = ecKey();
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "meshlog-test", null, out);
        }
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(host));
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client.getPublic()));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((CommandFactory) (channel, command) -> new GitCommand(root, command));
        sshd.start();
        return new SshGitServer(sshd, host, keyFile);
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    int port() {
        return sshd.getPort();
    }

    /** {@code ssh://git@127.0.0.1:PORT/name}. */
    String url(String name) {
        return "ssh://git@127.0.0.1:" + port() + "/" + name;
    }

    /** A known_hosts line for this server, with its key or another. */
    String knownHostsLine(KeyPair key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n";
    }

    String knownHostsLine() {
        return knownHostsLine(hostKey);
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** One {@code git-upload-pack} or {@code git-receive-pack} run, on its own thread. */
    private static final class GitCommand implements Command {
        private final Path root;
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        GitCommand(Path root, String command) {
            this.root = root;
            this.command = command;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(this::run, "ssh-git " + command);
            t.setDaemon(true);
            t.start();
        }

        private void run() {
            List<String> words = CommandFactory.split(command);
            String name = words.size() == 2 ? words.get(1).replaceAll("^/+", "") : "";
            Path dir = root.resolve(name).normalize();
            if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
                fail("no repository " + name);
                return;
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build()) {
                if (words.get(0).equals("git-upload-pack")) {
                    new UploadPack(repo).upload(in, out, err);
                } else if (words.get(0).equals("git-receive-pack")) {
                    new ReceivePack(repo).receive(in, out, err);
                } else {
                    fail("not a git command: " + command);
                    return;
                }
                out.flush();
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                fail(e.toString());
            }
        }

        private void fail(String message) {
            try {
                err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // the client is gone; the exit code still closes the channel
            }
            exit.onExit(1, message);
        }

        @Override
        public void destroy(ChannelSession channel) {
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }
    }
}
