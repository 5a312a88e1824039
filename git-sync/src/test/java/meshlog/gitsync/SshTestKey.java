package meshlog.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An SSH key made by {@code ssh-keygen}, signing with {@code ssh-keygen -Y sign} as git does. */
record SshTestKey(Path privateKey, String publicKey, String fingerprint) {

    static SshTestKey generate(Path dir, String name, String type) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Cli.run(dir, "ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString());
        String pub = Files.readString(dir.resolve(name + ".pub")).strip();
        // ssh-keygen -l: "256 SHA256:xyz name (ED25519)"
        String fingerprint = Cli.run(dir, "ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").split(" ")[1];
        return new SshTestKey(key, pub, fingerprint);
    }

    /** {@code KEYTYPE BASE64}, without the comment: what an allowed_signers line ends with. */
    String keyField() {
        String[] parts = publicKey.split(" ");
        return parts[0] + " " + parts[1];
    }

    String type() {
        return publicKey.split(" ")[0];
    }

    String sign(byte[] payload, String namespace) throws IOException, InterruptedException {
        return Cli.run(privateKey.getParent(), payload, List.of("ssh-keygen", "-q", "-Y", "sign", "-n", namespace,
                "-f", privateKey.toString()));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
