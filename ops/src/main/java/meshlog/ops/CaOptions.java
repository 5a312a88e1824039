package meshlog.ops;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import meshlog.caserver.CaServer.KubeApi;

/**
 * The identity flags of {@code meshlog up}: {@code --ca-port} (Istio's certificate API over TLS, 15012 as
 * istiod), the API servers that review Kubernetes service-account tokens, {@code --kube-api east=URL,west=URL}
 * with the CA's own credential {@code --kube-api-token-file} and their CA {@code --kube-api-ca-file}, the
 * distributors' mTLS ports {@code --xds-tls-port} and {@code --insecure-plaintext}.
 *
 * @param port       0 picks a free port
 * @param kubeApis   by cluster; empty: Kubernetes tokens are refused (certificates and join tokens still work)
 * @param xdsTlsPort the first distributor's mTLS port, the others following; {@link #AFTER_PLAINTEXT}: right
 *                   after the plaintext ports; 0: any free
 * @param insecurePlaintext serve SDS secrets on the plaintext ports too, to whoever claims an identity
 * @param keys       {@code --cacerts} and {@code --ca-key-passphrase-file}: which CA signs, how its keys are kept
 */
record CaOptions(int port, Map<String, KubeApi> kubeApis, int xdsTlsPort, boolean insecurePlaintext, CaKeys keys) {

    static final int AFTER_PLAINTEXT = -1;

    static final int DEFAULT_PORT = 15012;
    static final Set<String> FLAGS = java.util.stream.Stream.concat(CaKeys.FLAGS.stream(), java.util.stream.Stream.of(
            "ca-port", "kube-api", "kube-api-token-file", "kube-api-ca-file", "xds-tls-port"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    static final String INSECURE_PLAINTEXT = "insecure-plaintext";
    /** Any free ports, no API servers, no secrets over plaintext: what programs and tests building options get. */
    static final CaOptions ANY_PORT = new CaOptions(0, Map.of(), 0, false, CaKeys.OWN);

    CaOptions(int port, Map<String, KubeApi> kubeApis) {
        this(port, kubeApis, 0, false, CaKeys.OWN);
    }

    CaOptions {
        kubeApis = Map.copyOf(kubeApis);
        keys = keys == null ? CaKeys.OWN : keys;
    }

    /** These options with the CA's keys from {@code keys}. */
    CaOptions withKeys(CaKeys keys) {
        return new CaOptions(port, kubeApis, xdsTlsPort, insecurePlaintext, keys);
    }

    static CaOptions parse(Flags f) {
        Path token = f.existingFile("kube-api-token-file");
        Path ca = f.existingFile("kube-api-ca-file");
        Map<String, KubeApi> apis = new LinkedHashMap<>();
        if (f.has("kube-api")) {
            for (String entry : Arrays.stream(f.get("kube-api", "").split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList()) {
                int eq = entry.indexOf('=');
                URI url = eq > 0 ? uri(entry.substring(eq + 1)) : null;
                if (url == null) {
                    throw new Flags.UsageException("--kube-api takes CLUSTER=URL[,CLUSTER=URL], like"
                            + " east=https://10.0.0.1:6443; got \"" + entry + "\"");
                }
                apis.put(entry.substring(0, eq), new KubeApi(url, token, ca));
            }
        } else if (token != null || ca != null) {
            throw new Flags.UsageException("--kube-api-token-file and --kube-api-ca-file need --kube-api");
        }
        return new CaOptions(UpOptions.port(f, "ca-port", DEFAULT_PORT), apis,
                f.has("xds-tls-port") ? UpOptions.port(f, "xds-tls-port", 0) : AFTER_PLAINTEXT,
                f.bool(INSECURE_PLAINTEXT), CaKeys.parse(f));
    }

    private static URI uri(String text) {
        try {
            URI uri = URI.create(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
