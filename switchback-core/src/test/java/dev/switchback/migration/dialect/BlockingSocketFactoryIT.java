package dev.switchback.migration.dialect;

import org.junit.jupiter.api.Test;

import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PostgreSQL driver's sockets, against the local server: blocking once connected, also after a timed read. */
class BlockingSocketFactoryIT {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5432);

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
