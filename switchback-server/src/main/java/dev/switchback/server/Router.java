package dev.switchback.server;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.TrafficControl;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's public listener: a reverse proxy on Netty's HTTP codecs that sends each request to the slot active when
 * it arrives. A switch is one volatile write; client keep-alive connections are the router's own and survive it.
 *
 * <p>Each event loop owns its clients' connections and a pool of keep-alive connections to the releases, so a request
 * is parsed, forwarded and answered on one thread without locks; request and response objects pass through as Netty
 * decoded them (bodies streamed chunk by chunk, with back-pressure both ways).
 */
public final class Router implements TrafficControl {
    /** How long a client's keep-alive connection may sit between requests before the router closes it. */
    static final Duration CLIENT_IDLE = Duration.ofSeconds(120);
    // keep-alive to the releases shorter than theirs, so we never reuse a connection they are closing
    /** How long an unused keep-alive connection to a release is kept by default (nginx's upstream keepalive_timeout). */
    static final Duration ORIGIN_IDLE = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MS = 2000;
    // header names as AsciiString constants: their hash is computed once, not on every request
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("Proxy-Connection");
    private static final AsciiString HTTP = AsciiString.cached("http");

    static {
        // Netty's leak detector samples buffers and records a stack trace wherever a sampled one passes: about 5% of
        // the router's own CPU under load, spent in every daemon. Off unless asked for (-Dio.netty.leakDetection.level).
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private record Origin(Slot slot, InetSocketAddress address) {
    }

    private final Metrics metrics;
    private final long originTimeoutMs;
    private final long originIdleMs;
    private final long clientIdleMs;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> clientChannel;
    private final AtomicInteger[] inFlight = {new AtomicInteger(), new AtomicInteger()};
    private final FastThreadLocal<Map<InetSocketAddress, ArrayDeque<Channel>>> pools = new FastThreadLocal<>() {
        @Override
        protected Map<InetSocketAddress, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };
    private volatile Origin active;
    private volatile boolean maintenance;
    private volatile String maintenanceMessage;
    // guarded by itself: connections holding a request while paused
    private final ArrayDeque<Front> held = new ArrayDeque<>();
    private volatile boolean paused;
    private long pauseGeneration;
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
        this.originTimeoutMs = Math.max(1, originTimeout.toMillis());
        this.originIdleMs = Math.max(1, originIdle.toMillis());
        this.clientIdleMs = Math.max(1, clientIdle.toMillis());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(Math.max(1, eventLoops), io);
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.clientChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
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
                                new HttpServerCodec(), new Front());
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
        Origin next = slot == null || port == null ? null : new Origin(slot, new InetSocketAddress("127.0.0.1", port));
        active = next;
        // unused connections to a release that no longer gets traffic are closed at once (on each event loop, which
        // owns its pool), so it can be drained and stopped without waiting for them to idle out
        InetSocketAddress keep = next == null ? null : next.address();
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            loop.execute(() -> closeIdleExcept(keep));
        }
    }

    /** On an event loop: closes its pooled connections to every release but {@code keep}'s. */
    private void closeIdleExcept(InetSocketAddress keep) {
        var it = pools.get().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<InetSocketAddress, ArrayDeque<Channel>> e = it.next();
            if (!e.getKey().equals(keep)) {
                List<Channel> idle = List.copyOf(e.getValue());
                it.remove();
                idle.forEach(Channel::close);
            }
        }
    }

    @Override
    public int inFlight(Slot slot) {
        return inFlight[slot.ordinal()].get();
    }

    @Override
    public void maintenance(boolean on, String message) {
        maintenanceMessage = message;
        maintenance = on;
    }

    @Override
    public void pause(Duration max) {
        long generation;
        synchronized (held) {
            paused = true;
            generation = ++pauseGeneration;
        }
        group.schedule(() -> {
            // whatever is still held when the pause runs out gets a 503, never an endless wait
            synchronized (held) {
                if (!paused || generation != pauseGeneration) {
                    return;
                }
                paused = false;
                for (Front f : held) {
                    f.loop().execute(() -> f.release(true));
                }
                held.clear();
            }
        }, Math.max(1, max.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void resume() {
        synchronized (held) {
            paused = false;
            for (Front f : held) {
                f.loop().execute(() -> f.release(false));
            }
            held.clear();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    public boolean isMaintenance() {
        return maintenance;
    }

    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** One client connection: its requests one after another (pipelined ones wait their turn in {@code inbox}). */
    private final class Front extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<Object> inbox = new ArrayDeque<>();
        private ChannelHandlerContext ctx;
        private String clientAddress;
        private Exchange exchange;
        private boolean holding;
        /** When the connection last had no request in progress: since it opened, or the last response ended. */
        private long idleSince = System.nanoTime();
        /** The end of the last read from the client (a request or part of one). */
        private long lastRead = idleSince;
        private Future<?> recheck;

        EventLoop loop() {
            return ctx.channel().eventLoop();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            SocketAddress remote = ctx.channel().remoteAddress();
            clientAddress = remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : "unknown";
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbox.add(msg);
            drain();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            lastRead = System.nanoTime();
            Exchange x = exchange;
            if (x != null && x.unflushed) {
                x.unflushed = false;
                x.back.flush(); // body pieces forwarded from this read
            }
        }

        /** Moves what can move: starts the next request, or forwards the current one's body. */
        void drain() {
            while (!inbox.isEmpty() && !holding) {
                Exchange x = exchange;
                if (x == null) {
                    Object m = inbox.poll();
                    if (m instanceof HttpRequest request) {
                        begin(request);
                    } else {
                        ReferenceCountUtil.release(m); // the rest of a request already answered
                    }
                    continue;
                }
                if (x.requestDone || (x.back == null && !x.local)) {
                    return; // the next request waits for this response; a body waits for the connection
                }
                HttpObject m = (HttpObject) inbox.poll();
                boolean last = m instanceof LastHttpContent;
                if (x.local) {
                    ReferenceCountUtil.release(m);
                } else {
                    x.back.write(m, x.back.voidPromise());
                    x.unflushed = !last;
                }
                if (last) {
                    x.requestSent();
                    if (x.local) {
                        x.sendLocal();
                    } else {
                        x.back.flush();
                    }
                }
            }
            // back-pressure: stop reading the client while its body cannot be written on, or too much waits
            Exchange x = exchange;
            boolean blocked = x != null && !x.requestDone && x.back != null && !x.back.isWritable();
            ctx.channel().config().setAutoRead(!holding && !blocked && inbox.size() < 16);
        }

        private void begin(HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Exchange x = new Exchange(this, request, null);
                exchange = x;
                x.local(HttpResponseStatus.BAD_REQUEST, "bad request", "Bad request\n", false);
                return;
            }
            if (maintenance) {
                Exchange x = new Exchange(this, request, null);
                exchange = x;
                String message = maintenanceMessage;
                x.local(HttpResponseStatus.SERVICE_UNAVAILABLE, "maintenance",
                        (message == null ? "Down for maintenance" : message) + "\n", true);
                return;
            }
            if (paused) {
                synchronized (held) {
                    if (paused) {
                        inbox.addFirst(request);
                        holding = true;
                        held.add(this);
                        ctx.channel().config().setAutoRead(false);
                        return;
                    }
                }
            }
            dispatch(request);
        }

        /** After a pause: the held request is sent on, or answered 503 when the pause ran out. */
        void release(boolean refuse) {
            holding = false;
            if (!ctx.channel().isActive()) {
                inbox.forEach(ReferenceCountUtil::release);
                inbox.clear();
                return;
            }
            HttpRequest request = (HttpRequest) inbox.poll();
            if (refuse) {
                Exchange x = new Exchange(this, request, null);
                exchange = x;
                x.local(HttpResponseStatus.SERVICE_UNAVAILABLE, "paused", "Paused for a database operation; try again\n", true);
            } else {
                dispatch(request);
            }
            drain();
        }

        private void dispatch(HttpRequest request) {
            Origin o = active;
            if (o == null) {
                Exchange x = new Exchange(this, request, null);
                exchange = x;
                x.local(HttpResponseStatus.SERVICE_UNAVAILABLE, "none", "No release is active yet\n", true);
                return;
            }
            Exchange x = new Exchange(this, request, o);
            exchange = x;
            inFlight[o.slot().ordinal()].incrementAndGet();
            prepare(request);
            ArrayDeque<Channel> idle = pools.get().get(o.address());
            Channel pooled = null;
            while (idle != null && !idle.isEmpty()) {
                Channel c = idle.pollLast();
                if (c.isActive()) {
                    pooled = c;
                    break;
                }
            }
            if (pooled != null) {
                x.attach(pooled);
                return;
            }
            new Bootstrap().group(loop()).channel(clientChannel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // reader-idle only (no listener on every write); Back tells the two limits apart
                            ch.pipeline().addLast(new IdleStateHandler(Math.min(originTimeoutMs, originIdleMs), 0, 0,
                                    TimeUnit.MILLISECONDS), new HttpClientCodec(), new Back(o.address()));
                        }
                    })
                    .connect(o.address()).addListener((ChannelFutureListener) f -> {
                        if (exchange != x || x.finished) {
                            if (f.isSuccess()) {
                                f.channel().close();
                            }
                        } else if (f.isSuccess()) {
                            x.attach(f.channel());
                        } else {
                            x.failed(HttpResponseStatus.BAD_GATEWAY, "The release in slot " + o.slot().id()
                                    + " does not accept connections (" + o.address().getPort() + ")\n");
                        }
                    });
        }

        /** Hop-by-hop headers out, X-Forwarded-* in; HTTP/1.1 with keep-alive to the release. */
        private void prepare(HttpRequest request) {
            HttpHeaders h = request.headers();
            stripHopByHop(h);
            String prior = h.get(X_FORWARDED_FOR);
            h.set(X_FORWARDED_FOR, prior == null ? clientAddress : prior + ", " + clientAddress);
            h.set(X_FORWARDED_PROTO, HTTP);
            String host = h.get(HttpHeaderNames.HOST);
            if (host != null) {
                h.set(X_FORWARDED_HOST, host);
            }
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
        }

        /** The response is complete: the next request may start. */
        void finished(Exchange x, boolean keepAlive) {
            if (exchange != x) {
                return;
            }
            exchange = null;
            idleSince = System.nanoTime();
            if (!keepAlive) {
                inbox.forEach(ReferenceCountUtil::release);
                inbox.clear();
                return;
            }
            drain();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Exchange x = exchange;
            if (x != null && x.back != null) {
                x.back.config().setAutoRead(ctx.channel().isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (recheck != null) {
                recheck.cancel(false);
            }
            Exchange x = exchange;
            if (x != null) {
                x.clientGone();
            }
            inbox.forEach(ReferenceCountUtil::release);
            inbox.clear();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof IdleStateEvent) || holding || !ctx.channel().isActive()) {
                return;
            }
            // nothing read for the idle time
            Exchange x = exchange;
            if (x == null) {
                closeIfIdle();
            } else if (!x.requestDone && ctx.channel().config().isAutoRead()) {
                ctx.close(); // the client stopped in the middle of its request (and we were reading): given up on
            }
        }

        /**
         * No request in progress: closed once the idle time has passed since the last response and the last read (a
         * long response keeps it open); short of that, checked again when it is up, by one task at a time (and after
         * that by the next reader-idle event, which repeats while nothing is read).
         */
        private void closeIfIdle() {
            long left = TimeUnit.MILLISECONDS.toNanos(clientIdleMs) - (System.nanoTime() - Math.max(idleSince, lastRead));
            if (left <= 0) {
                ctx.close();
            } else if (recheck == null || recheck.isDone()) {
                recheck = ctx.executor().schedule(() -> {
                    if (exchange == null && !holding && ctx.channel().isActive()) {
                        closeIfIdle();
                    }
                }, left, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One request and its response. */
    private final class Exchange {
        final Front front;
        final HttpRequest request;
        final Origin origin;
        final boolean http10;
        boolean clientKeepAlive;
        final long started = System.nanoTime();
        Channel back;
        boolean local;
        boolean requestDone;
        /** Part of the request body was written to the release and not flushed yet. */
        boolean unflushed;
        boolean responseStarted;
        boolean finished;
        int status;
        FullHttpResponse localResponse;
        String localSlot;

        Exchange(Front front, HttpRequest request, Origin origin) {
            this.front = front;
            this.request = request;
            this.origin = origin;
            this.clientKeepAlive = HttpUtil.isKeepAlive(request);
            this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        }

        /** Answers from the router itself (maintenance, pause, no release) once the request body has been read. */
        void local(HttpResponseStatus status, String slot, String body, boolean retry) {
            local = true;
            localSlot = slot;
            this.status = status.code();
            localResponse = textResponse(status, body);
            if (retry) {
                localResponse.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
            }
            if (request instanceof LastHttpContent) {
                requestDone = true;
                sendLocal();
            }
        }

        void sendLocal() {
            boolean keepAlive = clientKeepAlive;
            if (!keepAlive) {
                localResponse.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            finished = true;
            ChannelFuture f = front.ctx.writeAndFlush(localResponse);
            metrics.request(localSlot, status, System.nanoTime() - started);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
            front.finished(this, keepAlive);
        }

        /** The whole request is with the release (or answered locally): from now on its silence counts. */
        void requestSent() {
            requestDone = true;
            if (back != null) {
                ((Back) back.pipeline().last()).quietSince = System.nanoTime();
            }
        }

        void attach(Channel channel) {
            back = channel;
            ((Back) channel.pipeline().last()).exchange = this;
            channel.config().setAutoRead(true);
            channel.write(request, channel.voidPromise());
            if (request instanceof LastHttpContent) {
                requestSent();
            }
            front.drain();
            unflushed = false;
            channel.flush();
        }

        /** From the release: the response head or a piece of its body. */
        void fromOrigin(HttpObject m, Back backHandler) {
            if (m instanceof HttpResponse response) {
                int code = response.status().code();
                boolean informational = code >= 100 && code < 200 && code != 101;
                if (!informational) {
                    status = code;
                    responseStarted = true;
                    backHandler.originKeepAlive = HttpUtil.isKeepAlive(response);
                }
                stripHopByHop(response.headers());
                if (http10 && !informational) {
                    if (HttpUtil.isTransferEncodingChunked(response)) {
                        // an HTTP/1.0 client knows no chunks: the body goes as it is, and the connection's end ends it
                        HttpUtil.setTransferEncodingChunked(response, false);
                        clientKeepAlive = false;
                    }
                    if (clientKeepAlive) {
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                    }
                }
                if (!clientKeepAlive) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                if (informational) {
                    // a 100 Continue: its LastHttpContent does not end the exchange
                    backHandler.skipNextLast = true;
                    front.ctx.write(m, front.ctx.voidPromise());
                    return;
                }
            }
            if (m instanceof LastHttpContent && backHandler.skipNextLast) {
                backHandler.skipNextLast = false;
                front.ctx.writeAndFlush(m, front.ctx.voidPromise());
                return;
            }
            if (m instanceof LastHttpContent) {
                finished = true;
                boolean keepAlive = clientKeepAlive;
                if (keepAlive) {
                    front.ctx.writeAndFlush(m, front.ctx.voidPromise()); // no promise to allocate and complete
                } else {
                    front.ctx.writeAndFlush(m).addListener(ChannelFutureListener.CLOSE);
                }
                Channel c = back;
                ((Back) c.pipeline().last()).exchange = null;
                Origin now = active;
                if (backHandler.originKeepAlive && requestDone && c.isActive() && now != null
                        && now.address().equals(origin.address())) {
                    pools.get().computeIfAbsent(origin.address(), k -> new ArrayDeque<>()).addLast(c);
                } else {
                    c.close();
                }
                done();
                front.finished(this, keepAlive);
            } else {
                front.ctx.write(m, front.ctx.voidPromise());
                if (!front.ctx.channel().isWritable()) {
                    back.config().setAutoRead(false);
                }
            }
        }

        /** The release closed the connection before the response was complete. */
        void originGone() {
            originFailed(HttpResponseStatus.BAD_GATEWAY, "The release in slot " + origin.slot().id() + " closed the connection\n");
        }

        /** The release has the whole request and said nothing for the origin timeout. */
        void timedOut() {
            originFailed(HttpResponseStatus.GATEWAY_TIMEOUT, "The release in slot " + origin.slot().id() + " did not answer within "
                    + originTimeoutMs + " ms\n");
        }

        /** Before the response began the client gets {@code why}; after, its connection is closed. */
        private void originFailed(HttpResponseStatus why, String message) {
            if (finished) {
                return;
            }
            if (!responseStarted) {
                failed(why, message);
            } else {
                dropBack();
                finished = true;
                done();
                front.ctx.close();
            }
        }

        void failed(HttpResponseStatus why, String message) {
            dropBack();
            status = why.code();
            done();
            localResponse = textResponse(why, message);
            localResponse.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            finished = true;
            front.ctx.writeAndFlush(localResponse).addListener(ChannelFutureListener.CLOSE);
            front.finished(this, false);
        }

        /** Closes the connection to the release: it may be mid-response, so it never goes back to the pool. */
        private void dropBack() {
            if (back != null) {
                ((Back) back.pipeline().last()).exchange = null;
                back.close();
            }
        }

        void clientGone() {
            if (!finished) {
                dropBack();
                finished = true;
                status = 499;
                done();
            }
        }

        private boolean counted;

        private void done() {
            if (counted || origin == null) {
                return;
            }
            counted = true;
            inFlight[origin.slot().ordinal()].decrementAndGet();
            metrics.request(origin.slot().id(), status, System.nanoTime() - started);
        }
    }

    /** A connection to a release: pooled per event loop between exchanges. */
    private final class Back extends ChannelInboundHandlerAdapter {
        final InetSocketAddress address;
        Exchange exchange;
        boolean originKeepAlive = true;
        boolean skipNextLast;
        /** The last read from the release, or the end of the request sent to it, whichever is later. */
        long quietSince = System.nanoTime();
        private Future<?> recheck;

        Back(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Exchange x = exchange;
            if (x == null) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            x.fromOrigin((HttpObject) msg, this);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            quietSince = System.nanoTime();
            Exchange x = exchange;
            if (x != null) {
                x.front.ctx.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Exchange x = exchange;
            if (x != null && !x.requestDone) {
                x.front.drain();
                if (x.unflushed) {
                    x.unflushed = false;
                    x.back.flush();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (recheck != null) {
                recheck.cancel(false);
            }
            ArrayDeque<Channel> idle = pools.get().get(address);
            if (idle != null) {
                idle.remove(ctx.channel());
            }
            Exchange x = exchange;
            if (x != null) {
                exchange = null;
                x.originGone();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                checkQuiet(ctx);
            }
        }

        /**
         * Nothing read for a while: a pooled connection unused for the origin idle time is closed; a release silent for
         * the origin timeout since it got the whole request (or last sent something) fails the exchange. Short of its
         * limit, checked again when the limit is reached, by one task at a time (and after that by the next
         * reader-idle event, which repeats while nothing is read).
         */
        private void checkQuiet(ChannelHandlerContext ctx) {
            Exchange x = exchange;
            if (!ctx.channel().isActive() || (x != null && !x.requestDone)) {
                return; // closed, or the request is still being sent: the client's pace, not the release's
            }
            long limit = TimeUnit.MILLISECONDS.toNanos(x == null ? originIdleMs : originTimeoutMs);
            long left = limit - (System.nanoTime() - quietSince);
            if (left > 0) {
                if (recheck == null || recheck.isDone()) {
                    recheck = ctx.executor().schedule(() -> checkQuiet(ctx), left, TimeUnit.NANOSECONDS);
                }
            } else if (x == null) {
                ctx.close(); // pooled and unused
            } else {
                exchange = null;
                x.timedOut();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse textResponse(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return r;
    }

    private static void stripHopByHop(HttpHeaders h) {
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String name : connection.split(",")) {
                String n = name.trim();
                if (!n.isEmpty() && !n.equalsIgnoreCase("close") && !n.equalsIgnoreCase("keep-alive")) {
                    h.remove(n);
                }
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(PROXY_CONNECTION);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.UPGRADE);
        h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    }
}
