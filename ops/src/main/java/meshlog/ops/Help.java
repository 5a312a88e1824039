package meshlog.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code meshlog COMMAND --help} prints: every command's flags, in one table, so {@code meshlog --help} and each
 * command's own help say the same thing and a new flag has one place to be described.
 */
final class Help {

    private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("init", String.join("\n",
                "meshlog init DIR",
                "  create a config repository in DIR (new or empty) with an example, committed on branch main"));
        COMMANDS.put("up", String.join("\n",
                "meshlog up --repo DIR|URL [flags]",
                "  run the control plane: broker, CA, distributors, reconciler, git-sync, admin server",
                "  --repo DIR|URL            the config repository: a local git repository, or a file://, git://,",
                "                            http(s):// or ssh:// URL fetched into DATA/git-mirror [required]",
                "  --git-token-file F        http(s): the token (PAT) in F, read at every fetch; never logged",
                "  --git-token-env VAR       http(s): the token in environment variable VAR",
                "  --git-ssh-key F           ssh: the private key file (required for ssh://)",
                "  --git-known-hosts F       ssh: known_hosts the server's key must be in, checked strictly (required)",
                "  --webhook-secret-file F   accept POST /webhook/git on the admin port, signed with the secret in F",
                "                            (GitHub, GitLab, Gitea push hooks): a push to the branch fetches at once",
                "  --branch B                the branch to follow (default: the repository's current branch)",
                "  --require-signed          apply only commits signed by a key of --allowed-pgp-keys or",
                "                            --allowed-signers (one at least); others are rejected, GS0011",
                "  --allowed-pgp-keys F      OpenPGP public keys, ASCII-armored (gpg --export --armor KEYID...)",
                "  --allowed-signers F       an OpenSSH allowed_signers file (git's gpg.ssh.allowedSignersFile);",
                "                            signatures for namespace git; both files are read at start",
                "  --clusters a,b            clusters if the repository declares no Cluster objects (default east,west)",
                "  --replicas N              distributors per cluster (default 2)",
                "  --xds-port P              first distributor port, the others follow (default 15010; 0: any free);",
                "                            plaintext: routing only, no SDS secrets",
                "  --xds-tls-port P          first distributor mTLS port (default: after the plaintext ones, 15016..);",
                "                            the proxy's identity is its client certificate's (meshlog agent)",
                "  --insecure-plaintext      serve SDS secrets, private keys included, on the plaintext ports to any",
                "                            client naming a namespace and service account (local demos only)",
                "  --admin-port P            admin HTTP port: /healthz, /api/status (default 15014)",
                "  --ca-port P               the CA: Istio's certificate API over TLS, as istiod's (default 15012;",
                "                            distributor ports pass over it and the admin port; 0: any free)",
                "  --kube-api c=URL,..       each cluster's API server, to review service-account tokens (TokenReview,",
                "                            audience istio-ca); without it Kubernetes tokens are refused",
                "  --kube-api-token-file F   the CA's credential for those API servers (needs system:auth-delegator)",
                "  --kube-api-ca-file F      their CA certificate, for https",
                "  --cacerts DIR             sign with your own CA, Istio's plugged-in layout (istiod's /etc/cacerts):",
                "                            ca-cert.pem, ca-key.pem, root-cert.pem (the roots workloads trust; two",
                "                            while a root rotates), cert-chain.pem; read at start (docs/security.md)",
                "  --ca-key-passphrase-file F  decrypts an encrypted ca-key.pem, and meshlog's own CA keys are",
                "                            written encrypted (PKCS#8, AES-256) with the first line of F",
                "  --bind ADDR               address to listen on (default 127.0.0.1)",
                "  --data-dir DIR            broker log and CA keys (default ./.meshlog)",
                "  --kafka HOST:PORT         use this Kafka instead of the embedded broker",
                "  --kubeconfig C=F[,C=F]    discover cluster C's Kubernetes Services and endpoints through kubeconfig F",
                "                            in this process (as meshlog discovery --cluster C --kubeconfig F does)",
                "  --poll D                  how often git is read, like 500ms, 1s, 2m (default 1s)",
                "  --admin-token-file F      every admin request needs 'Authorization: Bearer <token in F>'",
                "  --max-files N             tree entries per commit (default 20000)",
                "  --max-repo-bytes N        bytes of all files of a commit's tree (default 1G)",
                "  --max-commit-bytes N      bytes of a commit's YAML files (default 32M)",
                "  --max-commit-nodes N      YAML nodes of a commit's files (default 1500000)",
                "  --xds-max-node-id N       bytes of a proxy's node id (default 1024)",
                "  --xds-max-metadata N      bytes of a proxy's node metadata (default 64K)",
                "  --xds-max-message N       bytes of one xDS request (default 4M)",
                "  --xds-requests-per-second N, --xds-request-burst N   requests per stream (default 20, burst 100)",
                "  --xds-max-streams-per-address N   xDS streams from one client address (default 128)",
                "  --xds-max-streams N       xDS streams in all (default 4096)",
                "  --xds-max-pending-bytes N response bytes queued for a client that does not read (default 16M)",
                "  --xds-max-connection-age D  close an xDS connection this old so proxies rebalance (default 30m; 0s: never)",
                "  --stop-timeout D          after SIGTERM, halt if stopping takes longer (default 10s)",
                "  (limits and their refusals: docs/operations.md)"));
        COMMANDS.put("kafka", String.join("\n",
                "meshlog kafka [--data-dir DIR] [--port P]",
                "  the embedded single-node Kafka broker alone, for running the components as separate processes on",
                "  one machine; prints 'kafka at HOST:PORT' (for trying and tests, not production)",
                "  --data-dir DIR            its log (default ./.meshlog-kafka)",
                "  --port P                  its port on 127.0.0.1 (default 9092; 0: any free)"));
        COMMANDS.put("git-sync", String.join("\n",
                "meshlog git-sync --kafka HOST:PORT --repo DIR|URL [--branch B] [--poll D] [--leader-timeout D]",
                "                 [component flags]",
                "  follow a branch and write each commit to the log (up's --max-* limits, --require-signed,",
                "  --allowed-pgp-keys, --allowed-signers and, for a remote --repo URL mirrored under --data-dir,",
                "  --git-token-file, --git-token-env, --git-ssh-key, --git-known-hosts apply too); run two or",
                "  more on one repository and Kafka: one leads and writes, the others stand by and take over",
                "  --leader-timeout D        a leader that stops heartbeating is replaced after D (default 6s,",
                "                            Kafka's group.min.session.timeout.ms; at least 1s)"));
        COMMANDS.put("reconciler", String.join("\n",
                "meshlog reconciler --kafka HOST:PORT [--clusters a,b] [component flags]",
                "  fold the log and publish each cluster's snapshots; clusters come from the Cluster objects in git",
                "  (--clusters: those served while the repository declares none, default east,west)"));
        COMMANDS.put("agent", String.join("\n",
                "meshlog agent --xds HOST:PORT --root-cert FILE (--token-file F | --join-token-file F) [--ca HOST:PORT]",
                "              [--cluster C] [--socket PATH] [--grpc-output DIR] [--key-type ec|rsa] [--cert-ttl D]",
                "              [--envoy [--envoy-binary PATH] [--status-port P] [--admin-port P] ...]",
                "  beside a workload, as istio-agent: makes its key, gets it signed by the CA, renews it at half its",
                "  lifetime, serves SDS default/ROOTCA and proxies ADS to a distributor's mTLS port over --socket",
                "  --xds HOST:PORT           a distributor's mTLS port (up: 15016..; meshlog distributor: 15012)",
                "  --ca HOST:PORT            the CA (default 127.0.0.1:15012)",
                "  --root-cert FILE          the mesh root (DATA/ca/root-cert.pem where the CA runs)",
                "  --token-file F            a Kubernetes service-account token (audience istio-ca), or",
                "  --join-token-file F       a one-time token from meshlog token create; renewals use the certificate",
                "  --socket PATH             the Unix socket for Envoy (default ./meshlog-agent.sock;",
                "                            meshlog bootstrap --agent-socket PATH points Envoy at it)",
                "  --grpc-output DIR         proxyless gRPC: key.pem (0600), cert-chain.pem, root-cert.pem and a",
                "                            gRPC bootstrap.json (file_watcher provider), rewritten on renewal",
                "  --key-type ec|rsa         ECDSA P-256 (default) or RSA 2048",
                "  --cert-ttl D              validity asked for (default 24h, at most 90 days)",
                "  --envoy                   also run Envoy (as the injected sidecar does): write its bootstrap to",
                "                            --envoy-dir (default: the socket's directory), start it, restart it with",
                "                            backoff if it dies (10 failures in a row: exit 1), stop it on SIGTERM",
                "  --envoy-binary PATH       Envoy (default MESHLOG_ENVOY, then .venv-envoy of the checkout)",
                "  --node-id ID              default sidecar~INSTANCE_IP~POD_NAME.POD_NAMESPACE~POD_NAMESPACE.svc...",
                "  --labels k=v,...          default ISTIO_METAJSON_LABELS; --service-account (SERVICE_ACCOUNT),",
                "                            --interception REDIRECT|NONE (ISTIO_META_INTERCEPTION_MODE, REDIRECT)",
                "  --admin-port P            Envoy's admin API on 127.0.0.1 (default 15000; 0: any free)",
                "  --status-port P           GET /healthz/ready: 200 once Envoy is LIVE with its first listeners and",
                "                            clusters, else 503 and why (default 15021, on --status-bind 0.0.0.0)"));
        COMMANDS.put("distributor", String.join("\n",
                "meshlog distributor --kafka HOST:PORT --cluster NAME [--xds-port P] [--ca-dir DIR]",
                "                    [component flags]",
                "  serve one cluster's snapshots to its proxies over xDS; run several per cluster",
                "  --xds-port P              plaintext xDS port, routing only (default 15010; 0: any free)",
                "  --xds-tls-port P          mTLS xDS port, identity from the client certificate (default 15012)",
                "  --insecure-plaintext      serve SDS secrets on the plaintext port to any claimant (demos only)",
                "  --ca-dir DIR              the CA's directory, shared by the distributors (default DATA/ca)",
                "  --cacerts DIR, --ca-key-passphrase-file F   as up's: a plugged-in CA, encrypted keys",
                "  (up's --xds-max-* limits apply too)",
                "component flags (git-sync, reconciler, distributor, discovery, injector):",
                "  --kafka HOST:PORT         the broker [required]",
                "  --admin-port P            /healthz, /readyz, /api/status, /metrics (defaults: git-sync 15018,",
                "                            reconciler 15019, distributor 15015, discovery 15016, injector 15022;",
                "                            0: any free)",
                "  --bind ADDR               address to listen on (default 127.0.0.1)",
                "  --data-dir DIR            local state (default ./.meshlog)",
                "  --admin-token-file F      every admin request needs 'Authorization: Bearer <token in F>'",
                "  --stop-timeout D          after SIGTERM, halt if stopping takes longer (default 10s)"));
        COMMANDS.put("discovery", String.join("\n",
                "meshlog discovery --kafka HOST:PORT --cluster NAME --kubeconfig FILE [--resync D]",
                "                  [--root-cert FILE [--webhook-config NAME]] [component flags]",
                "  watch one cluster's Services, EndpointSlices, Pods, Nodes and Namespaces and publish its",
                "  services and endpoints to meshlog.endpoints",
                "  --kubeconfig FILE         how to reach the cluster's API server (its current context)",
                "  --resync D                LIST everything again this often (default 5m)",
                "  --root-cert FILE          keep the mesh root (PEM) in the ConfigMap istio-ca-root-cert of every",
                "                            namespace and in the injection webhook's caBundle, as istiod does",
                "  --webhook-config NAME     that MutatingWebhookConfiguration (default meshlog-sidecar-injector;",
                "                            '' leaves every webhook alone)"));
        COMMANDS.put("injector", String.join("\n",
                "meshlog injector --cluster NAME [--port P] [--cert F --key F | --ca-dir DIR] [--image I]",
                "                 [--xds-address HOST:PORT] [--ca-address HOST:PORT] [component flags but --kafka]",
                "  the sidecar injection webhook (Kubernetes mutating admission, POST /inject over HTTPS): pods of",
                "  namespaces labelled istio-injection=enabled get istio-init and istio-proxy (docs/operations.md,",
                "  \"Sidecar injection\"); admin port 15022",
                "  --port P                  the webhook's HTTPS port (default 15017, as istiod's)",
                "  --cert F, --key F         its certificate chain and PKCS#8 key (PEM), reloaded when they change",
                "  --ca-dir DIR              without --cert: a certificate issued by this CA (default DATA/ca)",
                "  --cacerts DIR, --ca-key-passphrase-file F   as up's: a plugged-in CA, encrypted keys",
                "  --image I                 the image both injected containers run (default meshlog-sidecar)",
                "  --xds-address HOST:PORT   the distributor's mTLS port the sidecars' agents connect to",
                "                            (default meshlog.meshlog-system.svc:15012)",
                "  --ca-address HOST:PORT    the CA they get certificates from (default meshlog-ca.meshlog-system.svc:15012)"));
        COMMANDS.put("kube-inject", String.join("\n",
                "meshlog kube-inject -f FILE|- [-o FILE] --cluster NAME [--image I] [--xds-address A]",
                "                    [--ca-address A]",
                "  istioctl kube-inject: the injector's sidecar added offline to the Pods, Deployments, StatefulSets,",
                "  DaemonSets, ReplicaSets, Jobs and CronJobs in FILE, printed as YAML (other documents as they were);",
                "  a pod's sidecar.istio.io/inject: \"false\" is honoured; a document that cannot be injected: exit 1,",
                "  naming its file:line, nothing written"));
        COMMANDS.put("iptables", String.join("\n",
                "meshlog iptables [--include-outbound-ip-ranges=R] [--exclude-outbound-ip-ranges=R]",
                "                 [--exclude-outbound-ports=P] [--include-inbound-ports=P] [--exclude-inbound-ports=P]",
                "                 [--dry-run]",
                "  what the injected istio-init runs: istio-init's nat rules (outbound to 15001, inbound to 15006,",
                "  uid 1337 and 15090/15021/15020 excluded) written with iptables-restore; --dry-run prints them"));
        COMMANDS.put("validate", String.join("\n",
                "meshlog validate PATH... [-o text|json]",
                "  validate YAML files or directories as a commit would be (exit 1 with errors)"));
        COMMANDS.put("audit", String.join("\n",
                "meshlog audit [--data-dir DIR | --kafka HOST:PORT] [filters] [-o text|json]",
                "  every commit applied or rejected, what it changed (field by field), its diagnostics, and what",
                "  each cluster was published",
                "  --data-dir DIR            the data dir of a meshlog up, running or stopped (default ./.meshlog)",
                "  --kafka HOST:PORT         a broker holding the log",
                "  --since T, --until T      only commits recorded in [T, T] (2026-12-06T21:00:00Z, 2026-12-06, 2h)",
                "  --resource KIND/NS/NAME   only commits that changed this object (KIND/NAME for cluster-scoped)",
                "  --author A                only commits whose author name or email contains A",
                "  --cluster C               only this cluster's publications",
                "  -o json                   one stable JSON document (docs/operations.md)"));
        COMMANDS.put("state", String.join("\n",
                "meshlog state --at COMMIT|OFFSET|TIME [--cluster C] [-o yaml|json]",
                "              [--data-dir DIR | --kafka HOST:PORT] [--checkpoint-dir DIR | --no-checkpoints]",
                "  the config served at that point of the log (with --cluster: the xDS resources that cluster was",
                "  published), folded from the log; from a checkpoint of the fold when one is trusted",
                "  (docs/operations.md, \"State checkpoints\"); checkpoints are kept in --checkpoint-dir, else",
                "  DATA_DIR/checkpoints, else (with --kafka) ~/.cache/meshlog/checkpoints; --no-checkpoints folds the",
                "  whole log and writes none"));
        COMMANDS.put("diff", String.join("\n",
                "meshlog diff A B [--cluster C] [--data-dir DIR | --kafka HOST:PORT]",
                "  field-level differences of the config (with --cluster: of that cluster's xDS) between two points",
                "  (each a COMMIT, an OFFSET or a TIME, as state --at takes them)"));
        COMMANDS.put("rollback", String.join("\n",
                "meshlog rollback --to COMMIT [--message M] [--repo DIR|URL] [--branch B] [--pin]",
                "                 [--git-token-file F | --git-token-env VAR | --git-ssh-key F --git-known-hosts F]",
                "                 [--data-dir DIR | --kafka HOST:PORT]",
                "  commit, on the followed branch, a revert that restores COMMIT's tree; meshlog up applies it as",
                "  any commit (git stays the source of truth). --pin also serves COMMIT's config at once through",
                "  the log (a RevisionPinned event); newer commits are then recorded, not served, until unpin or",
                "  until git has COMMIT's tree. A remote is cloned and the revert commit pushed (no force)"));
        COMMANDS.put("unpin", String.join("\n",
                "meshlog unpin [--data-dir DIR | --kafka HOST:PORT]",
                "  end a pin (a RevisionUnpinned event): the last applied commit is served again"));
        COMMANDS.put("try", String.join("\n",
                "meshlog try [--envoy [--envoy-binary PATH]] [--xds HOST:PORT] [--cluster NAME] [--calls N]",
                "            [--rounds N] [--ports V1,V2]",
                "  run the init example's backends and a gRPC client; print which version answered, every second",
                "  (exit 1 when every call of every round failed). The client is proxyless gRPC; with --envoy it",
                "  calls through a real Envoy sidecar started from meshlog bootstrap's bootstrap (Envoy from",
                "  --envoy-binary, MESHLOG_ENVOY or bin/install-envoy's .venv-envoy; none: exit 2)"));
        COMMANDS.put("proxy-status", String.join("\n",
                "meshlog proxy-status [--admin HOST:PORT[,HOST:PORT..]] [--cluster C] [--namespace NS] [-o text|json]",
                "  one line per connected proxy, as istioctl proxy-status: CDS, LDS, EDS, RDS as SYNCED, STALE, NACK",
                "  or NOT SENT, its distributor and version, then each NACK's error; exit 1 when any is not SYNCED",
                "  --admin HOST:PORT,..      admin servers to ask: a meshlog up, or each distributor process",
                "                            (default 127.0.0.1:15014)",
                "  --admin-token-file F      the bearer token those admin servers require",
                "  --cluster C, --namespace NS   only this cluster's, this namespace's proxies"));
        COMMANDS.put("proxy-config", String.join("\n",
                "meshlog proxy-config PATH... --cluster NAME --node-id ID [--labels k=v,..] [--mode sidecar|router|grpc]",
                "                     [--interception REDIRECT|NONE] [--type listeners|routes|clusters|endpoints|all]",
                "                     [-o json|yaml]",
                "  the xDS that proxy would receive from the config in PATH",
                "meshlog proxy-config --live NODE_ID [--admin HOST:PORT,..] [--admin-token-file F] [--type T] [-o json|yaml]",
                "  what the connected proxy NODE_ID is served now (LDS, RDS, CDS, EDS; never its secrets), its scope,",
                "  version and commit, from the admin server whose distributor holds its stream (default",
                "  127.0.0.1:15014); exit 1 when none does"));
        COMMANDS.put("token", String.join("\n",
                "meshlog token create --namespace NS --service-account SA [--ttl D] [--data-dir DIR | --ca-dir DIR]",
                "  a one-time join token for a machine outside Kubernetes: the CA signs one CSR with it, for",
                "  spiffe://cluster.local/ns/NS/sa/SA; printed on stdout only, signed with the CA directory's key",
                "  --ttl D                   how long it may wait to be used (default 24h, at most 30d)",
                "  --data-dir DIR            the data dir of meshlog up, whose ca/ is used (default ./.meshlog)",
                "  --ca-dir DIR              the CA directory itself"));
        COMMANDS.put("bootstrap", String.join("\n",
                "meshlog bootstrap --xds HOST:PORT --cluster NAME --node-id ID [--labels k=v,..]",
                "                  [--service-account SA] [--interception REDIRECT|NONE] [--admin-port P] [--sotw]",
                "                  [--agent-socket PATH]",
                "  an Envoy sidecar bootstrap; --agent-socket (instead of --xds): xDS and SDS through meshlog agent"));
    }

    private Help() {
    }

    /** Whether a command's arguments ask for help. */
    static boolean asked(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    static boolean knows(String command) {
        return COMMANDS.containsKey(command);
    }

    static String of(String command) {
        return COMMANDS.get(command);
    }

    /** {@code meshlog --help}: every command with its flags. */
    static String all() {
        StringBuilder sb = new StringBuilder("usage: meshlog <command> [flags]; meshlog <command> --help for one\n"
                + "every command takes --log-format text|json (log lines on stderr; default text)\n");
        COMMANDS.values().forEach(text -> sb.append('\n').append(text).append('\n'));
        return sb.toString().stripTrailing();
    }
}
