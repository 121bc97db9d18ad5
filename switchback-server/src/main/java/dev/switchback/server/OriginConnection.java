package dev.switchback.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A connection to a release: serves one exchange at a time, pooled per event loop between exchanges. */
final class OriginConnection extends ChannelInboundHandlerAdapter {
    final InetSocketAddress address;
    private final OriginPool pool;
    Exchange exchange;
    boolean originKeepAlive = true;
    boolean skipNextLast;
    /** The last read from the release, or the end of the request sent to it, whichever is later. */
    long quietSince = System.nanoTime();
    private Future<?> recheck;

    OriginConnection(InetSocketAddress address, OriginPool pool) {
        this.address = address;
        this.pool = pool;
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
        if (x != null && !x.requestDone()) {
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
        pool.forget(address, ctx.channel());
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
        if (!ctx.channel().isActive() || (x != null && !x.requestDone())) {
            return; // closed, or the request is still being sent: the client's pace, not the release's
        }
        long limit = TimeUnit.MILLISECONDS.toNanos(x == null ? pool.originIdleMs : pool.originTimeoutMs);
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
