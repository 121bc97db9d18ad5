package dev.switchback.migration.dialect;

import org.junit.jupiter.api.Test;

import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL driver's sockets, against the local server: blocking once connected, also after a timed read, as the
 * kernel sees the file descriptor ({@code O_NONBLOCK} in {@code /proc/self/fdinfo}), where a plain socket stays
 * non-blocking after a timed connect.
 */
class BlockingSocketFactoryIT {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5432);
    private static final int O_NONBLOCK = 04000;

    /** This process's socket descriptors: number and open flags. */
    private static Map<Integer, Integer> sockets() throws Exception {
        Map<Integer, Integer> found = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        int n = Integer.parseInt(fd.getFileName().toString());
                        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", String.valueOf(n)))) {
                            if (line.startsWith("flags:")) {
                                found.put(n, Integer.parseInt(line.substring(6).trim(), 8));
                            }
                        }
                    }
                } catch (java.io.IOException gone) {
                    // closed meanwhile (the directory stream's own descriptor, another thread's)
                }
            }
        }
        return found;
    }

    /** Whether the socket {@code connect} opens is in non-blocking mode in the kernel once it has run. */
    private static boolean nonBlockingAfter(Callable<Socket> connect) throws Exception {
        Map<Integer, Integer> before = sockets();
        try (Socket s = connect.call()) {
            Map<Integer, Integer> after = sockets();
            after.keySet().removeAll(before.keySet());
            assertThat(after).as("the new socket's descriptor").hasSize(1);
            return (after.values().iterator().next() & O_NONBLOCK) != 0;
        }
    }

    /** A timed connect, then a read with a timeout that expires (the driver's wait for the answer to its TLS request). */
    private static Socket timedConnectAndRead(Socket s) throws Exception {
        s.connect(SERVER, 10_000);
        s.setSoTimeout(100);
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        s.setSoTimeout(0);
        return s;
    }

    @Test
    void theKernelSeesABlockingSocketAfterATimedReadWhereAPlainSocketStaysNonBlocking() throws Exception {
        assertThat(nonBlockingAfter(() -> timedConnectAndRead(new Socket()))).as("a plain socket").isTrue();
        assertThat(nonBlockingAfter(() -> timedConnectAndRead(new BlockingSocketFactory().createSocket()))).as("the factory's").isFalse();
    }

    /** PostgreSQL's SSLRequest: the server answers one byte, 'S' or 'N'. */
    private static int askForTls(Socket s) throws Exception {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(8);
        out.writeInt(80877103);
        out.flush();
        return s.getInputStream().read();
    }

    @Test
    void aSocketConnectedWithATimeoutIsInBlockingModeAndTalksToTheServer() throws Exception {
        try (Socket s = new BlockingSocketFactory().createSocket()) {
            s.connect(SERVER, 10_000);
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getChannel().isBlocking()).isTrue();
            assertThat(askForTls(s)).isIn((int) 'S', (int) 'N');
            assertThat(s.getChannel().isBlocking()).isTrue();
        }
    }

    @Test
    void aTimedReadStillTimesOutAndLeavesTheSocketBlocking() throws Exception {
        try (Socket s = new BlockingSocketFactory().createSocket("127.0.0.1", 5432)) {
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            // the server sends nothing until the client's first message
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.getChannel().isBlocking()).isTrue();
            s.setSoTimeout(0);
            assertThat(askForTls(s)).isIn((int) 'S', (int) 'N');
        }
    }

    @Test
    void aConnectToAPortNobodyListensOnIsRefused() throws Exception {
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        int port = free;
        assertThatThrownBy(() -> new BlockingSocketFactory().createSocket("127.0.0.1", port))
                .isInstanceOf(java.net.ConnectException.class);
    }
}
