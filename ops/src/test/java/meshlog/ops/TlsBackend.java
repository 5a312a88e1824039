package meshlog.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * An HTTPS backend on 127.0.0.1 that terminates TLS itself with its own certificate and answers every request
 * {@code 200} with {@code x-backend: <name>}: what a gateway passes TLS through to. One connection at a time, each
 * bounded by a 5 s read timeout; {@link #close} stops it.
 */
final class TlsBackend implements AutoCloseable {

    private final SSLServerSocket server;
    private final String name;
    private final AtomicInteger served = new AtomicInteger();
    private final Thread thread;

    TlsBackend(String name, SSLContext context) throws IOException {
        this.name = name;
        this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "tls-backend-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests answered so far. */
    int served() {
        return served.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                readHead(s.getInputStream());
                String body = "hello from " + name;
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nx-backend: " + name + "\r\nContent-Length: "
                        + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                served.incrementAndGet();
            } catch (IOException e) {
                // a failed handshake or a closed server: the next accept tells which
            }
        }
    }

    /** Reads up to the end of the request head (bounded: 64 KiB). */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int i = 0; i < 65536 && matched < 4; i++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
