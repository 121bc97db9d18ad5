package dev.switchback.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/** One client connection: its requests one after another (pipelined ones wait their turn in {@code inbox}). */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    // header names as AsciiString constants: their hash is computed once, not on every request
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString HTTP = AsciiString.cached("http");

    final Router router;
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    ChannelHandlerContext ctx;
    /** This connection's decoder, which knows the requests framed ambiguously. */
    RequestCodec codec;
    private String clientAddress;
    private Exchange exchange;
    private boolean holding;
    /** When the connection last had no request in progress: since it opened, or the last response ended. */
    private long idleSince = System.nanoTime();
    /** The end of the last read from the client (a request or part of one). */
    private long lastRead = idleSince;
    private Future<?> recheck;

    ClientConnection(Router router) {
        this.router = router;
    }

    EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.codec = ctx.pipeline().get(RequestCodec.class);
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
            if (x.requestDone() || (x.back == null && !x.isLocal())) {
                return; // the next request waits for this response; a body waits for the connection
            }
            HttpObject m = (HttpObject) inbox.poll();
            if (m.decoderResult().isFailure()) {
                // a malformed body (a bad or overflowing chunk size): never forwarded as a shorter or empty one
                ReferenceCountUtil.release(m);
                x.badRequestBody();
                continue;
            }
            boolean last = m instanceof LastHttpContent;
            if (x.isLocal()) {
                ReferenceCountUtil.release(m);
            } else {
                x.back.write(m, x.back.voidPromise());
                x.unflushed = !last;
            }
            if (last) {
                x.requestSent();
                if (x.isLocal()) {
                    x.sendLocal();
                } else {
                    x.back.flush();
                }
            }
        }
        // back-pressure: stop reading the client while its body cannot be written on, or too much waits
        Exchange x = exchange;
        boolean blocked = x != null && !x.requestDone() && x.back != null && !x.back.isWritable();
        ctx.channel().config().setAutoRead(!holding && !blocked && inbox.size() < 16);
    }

    private void begin(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuse(request, "Bad request\n");
            return;
        }
        String hostProblem = hostProblem(request);
        if (hostProblem != null) {
            refuse(request, hostProblem);
            return;
        }
        TrafficPolicy policy = router.policy;
        if (policy.maintenance()) {
            String message = policy.maintenanceMessage();
            answer(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "maintenance",
                    (message == null ? "Down for maintenance" : message) + "\n", true);
            return;
        }
        if (policy.hold(this, request)) {
            return;
        }
        dispatch(request);
    }

    /** Called by the policy, under its lock, while paused: the request waits at the head of the inbox. */
    void hold(HttpRequest request) {
        inbox.addFirst(request);
        holding = true;
        ctx.channel().config().setAutoRead(false);
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
            answer(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "paused", "Paused for a database operation; try again\n", true);
        } else {
            dispatch(request);
        }
        drain();
    }

    /**
     * RFC 9112 §3.2: an HTTP/1.1 request without a Host, or any request with two, is a 400 (which Host would the release
     * believe?). Walks the values without collecting them.
     */
    private static String hostProblem(HttpRequest request) {
        Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext()) {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_1) ? "Bad request: an HTTP/1.1 request needs a Host header\n" : null;
        }
        hosts.next();
        return hosts.hasNext() ? "Bad request: more than one Host header\n" : null;
    }

    /** A 400 from the router, and the connection closed after it: what the client sends next cannot be trusted. */
    private void refuse(HttpRequest request, String body) {
        Exchange x = new Exchange(this, request, null);
        x.clientKeepAlive = false;
        exchange = x;
        x.local(HttpResponseStatus.BAD_REQUEST, "bad request", body, false);
    }

    private void answer(HttpRequest request, HttpResponseStatus status, String slot, String body, boolean retry) {
        Exchange x = new Exchange(this, request, null);
        exchange = x;
        x.local(status, slot, body, retry);
    }

    private void dispatch(HttpRequest request) {
        TrafficPolicy.Target target = router.policy.choose(request);
        if (target == null) {
            answer(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "none", "No release is active yet\n", true);
            return;
        }
        Origin o = target.pick();
        Exchange x = new Exchange(this, request, o);
        x.setCookie = target.setCookie();
        exchange = x;
        router.counters[o.slot().ordinal()].inFlight.incrementAndGet();
        o.outstanding.incrementAndGet();
        prepare(request);
        Channel pooled = router.pool.poll(o.address());
        if (pooled != null) {
            x.attach(pooled);
            return;
        }
        connect(x, target);
    }

    /**
     * A new connection to the exchange's instance. One that refuses it got nothing of the request, so another instance
     * of the same slot gets it (the refused one is skipped for a moment); with none left, a 502.
     */
    private void connect(Exchange x, TrafficPolicy.Target target) {
        Origin o = x.origin;
        router.pool.connect(loop(), o).addListener((ChannelFutureListener) f -> {
            if (exchange != x || x.isDone()) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
            } else if (f.isSuccess()) {
                x.attach(f.channel());
            } else {
                o.refused();
                Origin next = target.pick(o);
                if (next != null && !next.refusedRecently(System.nanoTime())) {
                    x.moveTo(next);
                    connect(x, target);
                    return;
                }
                x.failed(HttpResponseStatus.BAD_GATEWAY, "The release in slot " + o.slot().id()
                        + " does not accept connections (" + o.address().getPort() + ")\n");
            }
        });
    }

    /** Hop-by-hop headers out, X-Forwarded-* in; HTTP/1.1 with keep-alive to the release. */
    private void prepare(HttpRequest request) {
        HttpHeaders h = request.headers();
        HopByHop.strip(h);
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
        } else if (!x.requestDone() && ctx.channel().config().isAutoRead()) {
            ctx.close(); // the client stopped in the middle of its request (and we were reading): given up on
        }
    }

    /**
     * No request in progress: closed once the idle time has passed since the last response and the last read (a
     * long response keeps it open); short of that, checked again when it is up, by one task at a time (and after
     * that by the next reader-idle event, which repeats while nothing is read).
     */
    private void closeIfIdle() {
        long left = TimeUnit.MILLISECONDS.toNanos(router.clientIdleMs) - (System.nanoTime() - Math.max(idleSince, lastRead));
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
