package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a Kubernetes Service gives the replicas of a distributor: one address on 127.0.0.1 whose each new connection
 * goes to a replica that accepts it (tried in order). A proxy whose replica died reconnects to the same address and
 * lands on a live one, as it would through kube-proxy; grpc-java's own xDS fallback (gRFC A71) does not switch
 * servers while it holds cached resources, so a list of servers in the bootstrap would not show this.
 */
final class LoopbackService implements AutoCloseable {

    private final ServerSocket listener;
    private final List<String> replicas = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    LoopbackService(List<String> replicas) throws IOException {
        this.replicas.addAll(replicas);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "loopback-service-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Replaces the replica set (a replica restarted on another port). */
    void replicas(List<String> now) {
        replicas.clear();
        replicas.addAll(now);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                Socket out = connect();
                if (out == null) {
                    in.close();
                    continue;
                }
                open.add(in);
                open.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // closed, or one connection failed: the next accept decides
            }
        }
    }

    private Socket connect() {
        for (String r : replicas) {
            Socket s = new Socket();
            try {
                int colon = r.lastIndexOf(':');
                s.connect(new InetSocketAddress(r.substring(0, colon), Integer.parseInt(r.substring(colon + 1))),
                        500);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // a peer went away; both sides are closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "loopback-service-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(LoopbackService::closeQuietly);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
