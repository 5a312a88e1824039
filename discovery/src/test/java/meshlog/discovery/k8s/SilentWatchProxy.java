package meshlog.discovery.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of an API server that can make the watches open at one moment go silent: their
 * connections stay up, but what the server sends on them is dropped (a NAT or load balancer losing a long-lived
 * stream without closing it). The client's watch looks healthy and misses every event: Istio's stale-endpoint
 * failure. Connections opened afterwards, and requests that are not watches, are relayed normally.
 */
final class SilentWatchProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstream;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentWatchProxy(int upstreamPort) throws IOException {
        this.upstream = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "silent-watch-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, every watch already open receives nothing more. */
    void silenceOpenWatches() {
        relays.forEach(r -> {
            if (r.watch) {
                r.silenced = true;
            }
        });
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket up = new Socket(InetAddress.getLoopbackAddress(), upstream);
                Relay r = new Relay(client, up);
                relays.add(r);
                r.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static final class Relay {
        final Socket client;
        final Socket up;
        volatile boolean watch;
        volatile boolean silenced;

        Relay(Socket client, Socket up) {
            this.client = client;
            this.up = up;
        }

        void start() {
            thread("up", () -> copy(client, up, true));
            thread("down", () -> copy(up, client, false));
        }

        private static void thread(String name, Runnable r) {
            Thread t = new Thread(r, "silent-watch-proxy-" + name);
            t.setDaemon(true);
            t.start();
        }

        private void copy(Socket from, Socket to, boolean request) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (request && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("watch=true")) {
                        watch = true;
                    }
                    if (!request && silenced) {
                        continue; // dropped: the client never learns
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                close();
            }
        }

        void close() {
            try {
                client.close();
                up.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        relays.forEach(Relay::close);
    }
}
