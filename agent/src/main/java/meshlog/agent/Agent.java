package meshlog.agent;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshlog agent}, the counterpart of istio-agent beside each workload: generates the workload's key here,
 * gets it signed by the CA (a service-account token or a join token first, its own certificate for renewals),
 * renews it at half its lifetime, serves SDS {@code default} and {@code ROOTCA} to Envoy over a Unix domain socket
 * and proxies Envoy's ADS to a distributor over mTLS with that certificate; with {@code --grpc-output}, writes the
 * files a proxyless gRPC application needs. The private key never leaves this process except to the local proxy.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("meshlog.agent");

    private final Renewer renewer;
    private final List<AutoCloseable> opened;

    private Agent(Renewer renewer, List<AutoCloseable> opened) {
        this.renewer = renewer;
        this.opened = opened;
    }

    /**
     * Gets the first certificate, then serves.
     *
     * @throws IOException if a file cannot be read or the socket bound
     * @throws io.grpc.StatusRuntimeException if the CA refuses (the status says why)
     */
    public static Agent start(AgentOptions o, Clock clock) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Renewer renewer = keep(opened, new Renewer(new CertificateSource(o, clock), clock,
                    () -> ThreadLocalRandom.current().nextDouble()));
            Credentials first = renewer.start();
            if (o.grpcOutput() != null) {
                GrpcOutput files = new GrpcOutput(o.grpcOutput(), o.socket(), o.cluster(), o.nodeId());
                files.write(first);
                renewer.onRenewal(files::write);
            }
            Upstream upstream = keep(opened, new Upstream(o.xdsHost(), o.xdsPort(), first));
            renewer.onRenewal(upstream::use);
            keep(opened, SocketServer.start(o.socket(), upstream, renewer));
            LOG.info("meshlog agent {} serving SDS and ADS on unix:{}, xDS upstream {}:{} (mTLS){}", first.spiffeId(),
                    o.socket(), o.xdsHost(), o.xdsPort(), o.grpcOutput() == null ? ""
                            : "; gRPC files in " + o.grpcOutput());
            return new Agent(renewer, opened);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The certificate served now. */
    public Credentials current() {
        return renewer.current();
    }

    /** Certificates obtained since start, the first included. */
    public int issued() {
        return renewer.issued();
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> opened, T c) {
        opened.add(c);
        return c;
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", opened.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        opened.clear();
    }

    @Override
    public void close() {
        closeAll(opened);
    }
}
