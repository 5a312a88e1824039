package meshlog.caserver;

import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import meshlog.ca.CertificateAuthority;
import meshlog.ca.CertificateRequest;
import meshlog.ca.CsrRejectedException;
import meshlog.ca.JoinTokens;
import meshlog.ca.JoinTokens.InvalidJoinTokenException;
import meshlog.ca.SignedChain;
import meshlog.configstore.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code istio.v1.auth.IstioCertificateService/CreateCertificate}, as istiod answers it: the caller is
 * authenticated first (UNAUTHENTICATED otherwise), then the request is checked (INVALID_ARGUMENT: malformed
 * message, unknown cluster, CSR, validity), and the certificate is signed for the caller's identity, not for what
 * the CSR asks (Istio's {@code SubjectIDs: caller.Identities}). A join token is used up only once everything else
 * passed, so a bad CSR does not burn it.
 */
final class CertificateService {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.ca.server");
    /** The gRPC metadata key istio-agent sends its cluster in. */
    static final String CLUSTER_ID = "clusterid";

    /** What the transport knew about the call, captured by {@link CallInfo#INTERCEPTOR}. */
    record CallInfo(X509Certificate[] peerChain, String authorization, String clusterId, String remote) {

        static final Context.Key<CallInfo> KEY = Context.key("meshlog-ca-call");
    }

    private final CertificateAuthority ca;
    private final JoinTokens joinTokens;
    private final CallerAuthenticator authenticator;
    private final List<String> clusters;
    private final CsrCounts counts = new CsrCounts();

    /** @param clusters the mesh's clusters; the first is used when a caller names none */
    CertificateService(CertificateAuthority ca, JoinTokens joinTokens, CallerAuthenticator authenticator,
                       List<String> clusters) {
        this.ca = ca;
        this.joinTokens = joinTokens;
        this.authenticator = authenticator;
        this.clusters = List.copyOf(clusters);
    }

    /** What was asked and answered since start (istiod's {@code citadel_server_*} counts). */
    CsrCounts counts() {
        return counts;
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(CertificateMessages.SERVICE)
                .addMethod(CertificateMessages.SERVER_METHOD, ServerCalls.asyncUnaryCall(this::create))
                .build();
    }

    private void create(byte[] message, StreamObserver<CertificateMessages.Response> response) {
        CallInfo call = CallInfo.KEY.get();
        try {
            response.onNext(new CertificateMessages.Response(sign(message, call).certificates()));
            response.onCompleted();
        } catch (Refusal refusal) {
            LOG.info("refused a certificate to {}: {} {}", call.remote(), refusal.status.getCode(),
                    LogSafe.value(refusal.status.getDescription()));
            response.onError(refusal.status.asRuntimeException());
        }
    }

    private SignedChain sign(byte[] message, CallInfo call) throws Refusal {
        counts.received();
        String cluster;
        Caller caller;
        try {
            // An unknown cluster is a claim no authenticator can check: istiod's count it as a failed authentication.
            cluster = cluster(call.clusterId());
            caller = authenticator.authenticate(call.peerChain(), call.authorization(), cluster);
        } catch (AuthenticationException e) {
            counts.unauthenticated();
            throw new Refusal(Status.UNAUTHENTICATED.withDescription(e.getMessage()));
        } catch (Refusal unknownCluster) {
            counts.unauthenticated();
            throw unknownCluster;
        }
        CertificateMessages.Request request;
        try {
            request = CertificateMessages.Request.parse(new ByteArrayInputStream(message));
        } catch (IOException | RuntimeException e) {
            counts.unparsable();
            throw new Refusal(Status.INVALID_ARGUMENT.withDescription("not an IstioCertificateRequest message"));
        }
        Duration lifetime = checked(CsrCounts.TTL_ERROR,
                () -> CertificateAuthority.lifetime(request.validityDurationSeconds()));
        CertificateRequest csr = checked(CsrCounts.CSR_ERROR, () -> CertificateRequest.parse(request.csr()));
        if (caller.joinToken() != null) {
            try {
                joinTokens.redeem(caller.joinToken());
            } catch (InvalidJoinTokenException e) {
                counts.unauthenticated();
                throw new Refusal(Status.UNAUTHENTICATED.withDescription(e.getMessage()));
            }
        }
        SignedChain signed;
        try {
            signed = ca.sign(cluster, csr, caller.identity(), lifetime);
        } catch (RuntimeException e) {
            counts.signError(CsrCounts.CERT_GEN_ERROR);
            LOG.error("signing failed for {} ({}): {}", call.remote(), caller.method(), LogSafe.value(e, 500));
            throw new Refusal(Status.INTERNAL.withDescription("the CA could not sign the certificate"));
        }
        counts.issuedOne();
        LOG.info("issued {} to {} ({}, cluster {}, {}) until {}", signed.spiffeId(), call.remote(), caller.method(),
                cluster, csr.keyDescription(), signed.notAfter());
        return signed;
    }

    /** A check of the request; its refusal is counted as the signing error {@code error}, as istiod's. */
    private <T> T checked(String error, java.util.function.Supplier<T> check) throws Refusal {
        try {
            return check.get();
        } catch (CsrRejectedException e) {
            counts.signError(error);
            throw new Refusal(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        }
    }

    private String cluster(String requested) throws Refusal {
        if (requested == null || requested.isEmpty()) {
            return clusters.get(0);
        }
        if (!clusters.contains(requested)) {
            throw new Refusal(Status.INVALID_ARGUMENT.withDescription("metadata clusterid \""
                    + (requested.length() > 100 ? requested.substring(0, 100) + "..." : requested) + "\" is not a cluster of this mesh: one of " + String.join(", ",
                    clusters)));
        }
        return requested;
    }

    /** A refused request and the status that says why. */
    private static final class Refusal extends Exception {

        private static final long serialVersionUID = 1L;
        private final transient Status status;

        Refusal(Status status) {
            super(status.getDescription(), null, false, false);
            this.status = status;
        }
    }
}
