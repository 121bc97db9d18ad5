package dev.switchback.migration.dialect;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * Sockets for the PostgreSQL driver ({@code socketFactory}) that are back in blocking mode once connected. The JDK's
 * plain socket switches itself to non-blocking mode for good the first time it connects or reads with a timeout, and the
 * driver connects with one ({@code connectTimeout}, 10 s by default); from then on every read that finds the server's
 * answer not there yet costs a read that fails (EAGAIN) and a poll before the read that gets it: three system calls per
 * round trip instead of one, about 6,000 more for 2,000 migrations applied, and a system call is not cheap on a virtual
 * machine. A socket channel's socket connects with the timeout the same way and then returns to blocking mode, so a read
 * waits in the kernel. Nothing else changes: the connect timeout, the driver's socket timeout (a timed read switches to
 * non-blocking for that read only), TLS on top of it, and the cancel connection.
 */
public final class BlockingSocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
        return SocketChannel.open().socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote) throws IOException {
        return connected(remote, null);
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
