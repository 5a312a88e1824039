package meshlog.agent;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import java.util.Set;
import meshlog.xds.snapshot.SecretBuilder;

/**
 * The SDS secrets the agent answers itself, never forwarding them upstream: {@code default} and {@code ROOTCA},
 * shaped by the same {@link SecretBuilder} distributors use, so names and semantics stay one.
 */
final class LocalSecrets {

    static final String TYPE_URL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    static final Set<String> NAMES = Set.of(SecretBuilder.DEFAULT, SecretBuilder.ROOTCA);

    private LocalSecrets() {
    }

    /** The secrets named (all when {@code names} is empty), for {@code c}. */
    static List<Secret> of(Credentials c, Set<String> names) {
        return SecretBuilder.secrets(c.certificateChainPem(), c.privateKeyPem(), c.rootsPem()).stream()
                .filter(s -> names.isEmpty() || names.contains(s.getName())).toList();
    }

    /** A hash of the public parts: a renewal changes it. */
    static String version(Credentials c) {
        return SecretBuilder.version(c.certificateChainPem(), c.rootsPem());
    }
}
