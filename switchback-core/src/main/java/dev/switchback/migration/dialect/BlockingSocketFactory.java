package dev.switchback.migration.dialect;

import dev.switchback.migration.CommandLineProcess;
import dev.switchback.migration.Secrets;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * Sockets for the PostgreSQL driver ({@code socketFactory}) that are back in blocking mode after a read with a timeout.
 * The JDK's plain socket switches itself to non-blocking mode for good the first time it reads with a timeout, and the
 * driver does, waiting for the answer to its TLS request ({@code sslResponseTimeout}); from then on every read that
 * finds the server's answer not there yet costs a read that fails (EAGAIN) and a poll before the read that gets it:
 * three system calls per round trip instead of one, about 6,000 more for 2,000 migrations applied, and a system call is
 * not cheap on a virtual machine. A socket channel's socket makes a timed read in non-blocking mode and then returns to
 * blocking mode (a timed connect too), so a read without a timeout waits in the kernel. The connect timeout, TLS on
 * top of it and the cancel connection work as before.
 * <p>
 * Used only where it {@link #suits}: in the command line's process, whose threads are never interrupted (an interrupt
 * closes a socket channel, where a plain socket ignores it), not through a SOCKS proxy (a channel's socket has none),
 * and not with the driver's {@code socketTimeout} (a timed read on a channel switches it to non-blocking and back:
 * more system calls, not fewer).
 */
public final class BlockingSocketFactory extends SocketFactory {
    /** Whether connections to {@code url} are opened with this factory (see the class comment). */
    public static boolean suits(String url) {
        String socks = System.getProperty("socksProxyHost");
        return CommandLineProcess.active() && (socks == null || socks.isBlank())
                && !Boolean.getBoolean("java.net.useSystemProxies") && !Secrets.containsIgnoreCase(url, "sockettimeout=");
    }

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
