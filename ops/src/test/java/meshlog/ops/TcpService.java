package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a Kubernetes Service does for distributor replicas, on loopback: one address whose connections go to the
 * first live backend. Proxies reconnecting after their distributor died land on another replica, as they would
 * through kube-proxy (which cannot run here).
 */
final class TcpService implements AutoCloseable {

    private final ServerSocket listener;
    private final List<InetSocketAddress> backends;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-service");
        t.setDaemon(true);
        return t;
    });

    TcpService(List<InetSocketAddress> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket backend = connectToLiveBackend();
                if (backend == null) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(backend);
                threads.execute(() -> pipe(client, backend));
                threads.execute(() -> pipe(backend, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private Socket connectToLiveBackend() {
        for (InetSocketAddress b : backends) {
            try {
                return new Socket(b.getAddress(), b.getPort());
            } catch (IOException e) {
                // down: try the next one
            }
        }
        return null;
    }

    /** Copies until either side closes, then closes both, as a dead connection would look to a proxy. */
    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(TcpService::closeQuietly);
        threads.shutdownNow();
    }
}
