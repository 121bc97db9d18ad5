package dev.switchback.server;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.SlotTraffic;
import dev.switchback.deploy.Stickiness;
import dev.switchback.deploy.TrafficControl;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The service's public listener: a reverse proxy on Netty's HTTP codecs that sends each request to the slot active when
 * it arrives, or during a canary rollout to the canary slot for its weight's share of clients. A switch or a weight
 * change is one volatile write; client keep-alive connections are the router's own and survive it.
 *
 * <p>Each event loop owns its clients' connections and a pool of keep-alive connections to the releases, so a request
 * is parsed, forwarded and answered on one thread without locks; request and response objects pass through as Netty
 * decoded them (bodies streamed chunk by chunk, with back-pressure both ways).
 *
 * <p>The parts: {@link ClientConnection} (one per client connection), {@link Exchange} (one request and its response),
 * {@link OriginPool} and {@link OriginConnection} (connections to the releases), {@link TrafficPolicy} (where a request
 * goes, or whether the router answers it itself). This class binds the port and takes the deployer's orders.
 */
public final class Router implements TrafficControl {
    /** How long a client's keep-alive connection may sit between requests before the router closes it. */
    static final Duration CLIENT_IDLE = Duration.ofSeconds(120);
    // keep-alive to the releases shorter than theirs, so we never reuse a connection they are closing
    /** How long an unused keep-alive connection to a release is kept by default (nginx's upstream keepalive_timeout). */
    static final Duration ORIGIN_IDLE = Duration.ofSeconds(60);

    static {
        // Netty's leak detector samples buffers and records a stack trace wherever a sampled one passes: about 5% of
        // the router's own CPU under load, spent in every daemon. Off unless asked for (-Dio.netty.leakDetection.level).
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    final Metrics metrics;
    final long clientIdleMs;
    /** By slot ordinal. */
    final SlotCounters[] counters = {new SlotCounters(), new SlotCounters()};
    final TrafficPolicy policy;
    final OriginPool pool;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private Channel listener;

    public Router(Metrics metrics) {
        this(metrics, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** @param eventLoops threads serving the public port (one per core is what {@code switchback serve} uses) */
    public Router(Metrics metrics, int eventLoops) {
        this(metrics, eventLoops, Duration.ofSeconds(60));
    }

    /**
     * @param originTimeout how long a release may stay silent once it has the whole request (as nginx's
     *                      {@code proxy_read_timeout}): then the client gets a 504, or its connection closed when the
     *                      response had begun
     */
    public Router(Metrics metrics, int eventLoops, Duration originTimeout) {
        this(metrics, eventLoops, originTimeout, ORIGIN_IDLE);
    }

    /** @param originIdle how long an unused keep-alive connection to the active release is kept for the next request */
    public Router(Metrics metrics, int eventLoops, Duration originTimeout, Duration originIdle) {
        this(metrics, eventLoops, originTimeout, originIdle, CLIENT_IDLE);
    }

    Router(Metrics metrics, int eventLoops, Duration originTimeout, Duration originIdle, Duration clientIdle) {
        this.metrics = metrics;
        this.clientIdleMs = Math.max(1, clientIdle.toMillis());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(Math.max(1, eventLoops), io);
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.pool = new OriginPool(Math.max(1, originTimeout.toMillis()), Math.max(1, originIdle.toMillis()),
                epoll ? EpollSocketChannel.class : NioSocketChannel.class);
        this.policy = new TrafficPolicy(group);
        metrics.routerTraffic(this::traffic, policy::weight);
    }

    /** Binds the public port; completes with the port bound (useful with port 0). */
    public CompletableFuture<Integer> listen(String host, int port) {
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        new ServerBootstrap().group(group).channel(serverChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // reader-idle only: an all-idle or writer-idle timer puts a listener on every write; the
                        // time since the last response is Front's own
                        ch.pipeline().addLast(new IdleStateHandler(clientIdleMs, 0, 0, TimeUnit.MILLISECONDS),
                                new RequestCodec(), new ClientConnection(Router.this));
                    }
                })
                .bind(host, port).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        listener = f.channel();
                        bound.complete(((InetSocketAddress) f.channel().localAddress()).getPort());
                    } else {
                        bound.completeExceptionally(f.cause());
                    }
                });
        return bound;
    }

    @Override
    public void route(Slot slot, Integer port) {
        policy.route(slot, port);
        closeUnrouted();
    }

    @Override
    public void split(Slot canary, Integer canaryPort, int weight, Stickiness sticky, String rollout) {
        policy.split(canary, canaryPort, weight, sticky, rollout);
        closeUnrouted();
    }

    @Override
    public void instances(Slot slot, java.util.List<Integer> ports) {
        policy.instances(slot, ports);
        closeUnrouted();
    }

    @Override
    public void join(Slot slot) {
        policy.join(slot);
        closeUnrouted();
    }

    @Override
    public int inFlight(Slot slot, int port) {
        return policy.outstanding(port);
    }

    /** The canary's weight in percent (0 when there is no split). */
    public int canaryWeight() {
        return policy.weight();
    }

    /**
     * Unused connections to a release that no longer gets traffic are closed at once (on each event loop, which owns
     * its pool), so it can be drained and stopped without waiting for them to idle out.
     */
    private void closeUnrouted() {
        for (EventExecutor loop : group) {
            loop.execute(() -> pool.closeIdleUnless(policy::routes));
        }
    }

    @Override
    public int inFlight(Slot slot) {
        return counters[slot.ordinal()].inFlight.get();
    }

    @Override
    public SlotTraffic traffic(Slot slot) {
        return counters[slot.ordinal()].snapshot();
    }

    @Override
    public void maintenance(boolean on, String message) {
        policy.maintenance(on, message);
    }

    @Override
    public void pause(Duration max) {
        policy.pause(max);
    }

    @Override
    public void resume() {
        policy.resume();
    }

    public boolean isPaused() {
        return policy.paused();
    }

    public boolean isMaintenance() {
        return policy.maintenance();
    }

    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
