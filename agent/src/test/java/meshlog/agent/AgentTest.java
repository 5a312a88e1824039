package meshlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import meshlog.caserver.ServingTls;
import meshlog.configstore.snapshot.ScopeSnapshot;
import meshlog.xds.Mesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real CA server and distributor: its key made here, its certificate from a join token, the
 * files and gRPC bootstrap of {@code --grpc-output} used by grpc-java's own xDS client for mTLS to a real backend,
 * SDS over the Unix socket, and a renewal of a 20 s certificate while calls keep succeeding.
 */
class AgentTest {

    private static final String ME = "spiffe://cluster.local/ns/ns1/sa/sa1";

    @TempDir
    Path dir;
    ControlPlane plane;
    PeerEcho backend;

    @BeforeEach
    void start() throws Exception {
        plane = new ControlPlane(dir);
        backend = new PeerEcho(plane.issue("ns2", "backend"), plane.ca.trustBundlePem());
        plane.distributor.accept(mtlsTo(backend.port()));
    }

    @AfterEach
    void stop() {
        backend.close();
        plane.close();
    }

    @Test
    void aProxylessGrpcClientWithTheAgentsFilesCallsItsBackendOverMtlsAsItsOwnIdentity() throws Exception {
        Path out = dir.resolve("grpc");
        try (Agent agent = Agent.start(plane.agent("a1", "ns1", "sa1", AgentOptions.DEFAULT_TTL, out),
                Clock.systemUTC())) {
            assertThat(Files.getPosixFilePermissions(out.resolve(GrpcOutput.KEY)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(out.resolve(GrpcOutput.KEY))).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(spiffeId(leaf(out))).isEqualTo(ME);
            assertThat(Files.readString(out.resolve(GrpcOutput.ROOT))).isEqualTo(plane.ca.trustBundlePem());

            ManagedChannel channel = channel(out);
            try {
                assertThat(who(channel)).startsWith(ME + " serial=" + leaf(out).getSerialNumber());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aTwentySecondCertificateIsRenewedFilesRewrittenAndPushedOverSdsWhileCallsKeepSucceeding()
            throws Exception {
        Path out = dir.resolve("grpc");
        try (Agent agent = Agent.start(plane.agent("a2", "ns1", "sa1", Duration.ofSeconds(20), out),
                Clock.systemUTC())) {
            var firstSerial = leaf(out).getSerialNumber();
            BlockingQueue<DiscoveryResponse> pushed = new LinkedBlockingQueue<>();
            ManagedChannel sds = uds(dir.resolve("a2.sock"));
            StreamObserver<DiscoveryRequest> sdsRequests = SecretDiscoveryServiceGrpc.newStub(sds)
                    .streamSecrets(collect(pushed));
            sdsRequests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LocalSecrets.TYPE_URL)
                    .addResourceNames("default").addResourceNames("ROOTCA").build());
            DiscoveryResponse first = pushed.poll(10, TimeUnit.SECONDS);
            assertThat(first).as("SDS answer").isNotNull();
            // ACK it, as Envoy does; the next response must come from the renewal alone.
            sdsRequests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LocalSecrets.TYPE_URL)
                    .addResourceNames("default").addResourceNames("ROOTCA").setVersionInfo(first.getVersionInfo())
                    .setResponseNonce(first.getNonce()).build());

            ManagedChannel channel = channel(out);
            int calls = 0;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (agent.issued() < 2 && System.nanoTime() < deadline) {
                    assertThat(who(channel)).as("call %d", calls).startsWith(ME);
                    calls++;
                    Thread.sleep(250);
                }
                assertThat(agent.issued()).as("renewed within 40 s").isGreaterThanOrEqualTo(2);
                var renewedSerial = leaf(out).getSerialNumber();
                assertThat(renewedSerial).as("cert-chain.pem rewritten").isNotEqualTo(firstSerial);

                DiscoveryResponse push = pushed.poll(10, TimeUnit.SECONDS);
                assertThat(push).as("SDS pushed the renewed certificate").isNotNull();
                assertThat(push.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
                Secret renewed = push.getResourcesList().stream().map(AgentTest::secret)
                        .filter(s -> s.getName().equals("default")).findFirst().orElseThrow();
                assertThat(ServingTls.certificates(renewed.getTlsCertificate().getCertificateChain()
                        .getInlineBytes().toStringUtf8())[0].getSerialNumber()).isEqualTo(renewedSerial);

                // Past the first certificate's expiry, on the same channel and on a new one (a new handshake,
                // with the files the provider re-read).
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (System.nanoTime() < deadline) {
                    assertThat(who(channel)).as("call %d", calls).startsWith(ME);
                    calls++;
                    Thread.sleep(250);
                }
                ManagedChannel fresh = channel(out);
                try {
                    assertThat(who(fresh)).startsWith(ME + " serial=" + leaf(out).getSerialNumber());
                } finally {
                    fresh.shutdownNow();
                }
            } finally {
                channel.shutdownNow();
                sdsRequests.onCompleted();
                sds.shutdownNow();
            }
            assertThat(calls).as("calls made, every one answered").isGreaterThan(40);
        }
    }

    @Test
    void onRequestTheKeyIsRsa2048AndTheCaSignsItForTheTokensIdentity() throws Exception {
        AgentOptions ec = plane.agent("a3", "ns1", "sa1", AgentOptions.DEFAULT_TTL, dir.resolve("rsa"));
        AgentOptions rsa = new AgentOptions(ec.caHost(), ec.caPort(), ec.xdsHost(), ec.xdsPort(), ec.rootCertFile(),
                null, ec.joinTokenFile(), ec.cluster(), ec.socket(), ec.grpcOutput(), KeyAlgorithm.RSA_2048,
                ec.certTtl(), null);
        try (Agent agent = Agent.start(rsa, Clock.systemUTC())) {
            var key = leaf(dir.resolve("rsa")).getPublicKey();
            assertThat(key).isInstanceOf(java.security.interfaces.RSAPublicKey.class);
            assertThat(((java.security.interfaces.RSAPublicKey) key).getModulus().bitLength()).isEqualTo(2048);
            assertThat(spiffeId(leaf(dir.resolve("rsa")))).isEqualTo(ME);
            assertThat(Upstream.privateKey(agent.current()).getAlgorithm()).isEqualTo("RSA");
        }
    }

    @Test
    void aSpentJoinTokenIsRefusedWithTheCasReason() throws Exception {
        AgentOptions once = plane.agent("a4", "ns1", "sa1", AgentOptions.DEFAULT_TTL, null);
        try (Agent first = Agent.start(once, Clock.systemUTC())) {
            var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> Agent.start(new AgentOptions(once.caHost(), once.caPort(), once.xdsHost(), once.xdsPort(),
                            once.rootCertFile(), null, once.joinTokenFile(), once.cluster(), dir.resolve("a4b.sock"),
                            null, null, null, null), Clock.systemUTC()),
                    io.grpc.StatusRuntimeException.class);
            assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
            assertThat(first.current().spiffeId()).isEqualTo(ME);
        }
    }

    /** The gRPC scope of cluster east, its one backend's cluster with TLS from the certificate provider. */
    static ScopeSnapshot mtlsTo(int port) throws Exception {
        ScopeSnapshot plain = Mesh.split(ControlPlane.CLUSTER, Map.of("echo", 100), Map.of("echo", port));
        Map<String, Map<String, byte[]>> resources = new TreeMap<>(plain.resources());
        CommonTlsContext common = CommonTlsContext.newBuilder()
                .setTlsCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                        .setInstanceName("default").setCertificateName("default"))
                .setValidationContext(CertificateValidationContext.newBuilder()
                        .setCaCertificateProviderInstance(CertificateProviderPluginInstance.newBuilder()
                                .setInstanceName("default").setCertificateName("ROOTCA")))
                .build();
        Cluster tls = Mesh.cluster("echo").toBuilder().setTransportSocket(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder().setCommonTlsContext(common).build())))
                .build();
        resources.put(Resources.V3.CLUSTER_TYPE_URL, Map.of("echo", tls.toByteArray()));
        return Mesh.of(ControlPlane.CLUSTER, resources);
    }

    /** grpc-java's xDS client with the agent's bootstrap, for {@code xds:///svc.example:50051}. */
    @SuppressWarnings({"deprecation", "unchecked"})
    static ManagedChannel channel(Path out) throws Exception {
        Map<String, ?> bootstrap = new ObjectMapper().readValue(out.resolve(GrpcOutput.BOOTSTRAP).toFile(), Map.class);
        String scheme = "xdsagent" + System.nanoTime();
        return Grpc.newChannelBuilder(scheme + ":///" + Mesh.SERVICE,
                        XdsChannelCredentials.create(InsecureChannelCredentials.create()))
                .nameResolverFactory(XdsNameResolverProvider.createForTest(scheme, bootstrap)).build();
    }

    static String who(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, PeerEcho.WHO,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS).withWaitForReady(), "who");
    }

    static ManagedChannel uds(Path socket) {
        return Grpc.newChannelBuilder("unix:" + socket, InsecureChannelCredentials.create()).build();
    }

    static X509Certificate leaf(Path out) throws Exception {
        return ServingTls.certificates(Files.readString(out.resolve(GrpcOutput.CHAIN)))[0];
    }

    static String spiffeId(X509Certificate leaf) throws Exception {
        return String.valueOf(leaf.getSubjectAlternativeNames().iterator().next().get(1));
    }

    static <T> StreamObserver<T> collect(BlockingQueue<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    static Secret secret(Any any) {
        try {
            return any.unpack(Secret.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
