package meshlog.ops;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import meshlog.ca.JoinTokens;
import meshlog.ca.WorkloadIdentity;

/**
 * {@code meshlog token create --namespace NS --service-account SA [--ttl D] [--data-dir DIR | --ca-dir DIR]}: a
 * one-time join token for a machine outside Kubernetes, printed on stdout and nowhere else. It is signed with the
 * key in the CA directory, so it is made where that directory is (the CA's host) and the running CA checks it
 * without any exchange; using it is recorded there too.
 */
final class TokenCommand {

    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    private static final Set<String> FLAGS = Set.of("namespace", "service-account", "ttl", "data-dir", "ca-dir");

    private TokenCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !"create".equals(args.get(0))) {
            throw new Flags.UsageException("token takes a subcommand: meshlog token create --namespace NS"
                    + " --service-account SA [--ttl D]");
        }
        Flags f = Flags.parse(args.subList(1, args.size()), FLAGS, Set.of());
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        if (!f.has("namespace") || !f.has("service-account")) {
            throw new Flags.UsageException("token create needs --namespace NS and --service-account SA");
        }
        Path caDir = f.has("ca-dir") ? Path.of(f.get("ca-dir", ""))
                : MeshlogNode.caDir(Path.of(f.get("data-dir", ".meshlog")));
        // With --cacerts the CA directory holds only the join tokens' key, made when the CA first started.
        if (!Files.isRegularFile(caDir.resolve("root-cert.pem"))
                && !Files.isRegularFile(caDir.resolve("join-tokens/hmac-key"))) {
            throw new Flags.UsageException(caDir + " holds no CA (no root-cert.pem, no join-tokens/hmac-key): run"
                    + " meshlog up first, or name the CA's directory with --ca-dir or --data-dir");
        }
        WorkloadIdentity identity = new WorkloadIdentity(f.get("namespace", ""), f.get("service-account", ""));
        Duration ttl = f.duration("ttl", DEFAULT_TTL);
        String token = JoinTokens.open(caDir, Clock.systemUTC()).create(identity, ttl);
        out.println(token);
        err.println("join token for " + identity.spiffeId("cluster.local") + ", valid " + ttl.toString()
                .substring(2).toLowerCase() + ", once; send it as 'authorization: Bearer <token>' to the CA port");
        return 0;
    }
}
