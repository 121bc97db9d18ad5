package dev.switchback.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keep-alive connections to the releases, one pool per event loop: a connection is only ever used on the loop that
 * opened it, so taking and returning one needs no lock.
 */
final class OriginPool {
    private static final int CONNECT_TIMEOUT_MS = 2000;

    final long originTimeoutMs;
    final long originIdleMs;
    private final Class<? extends SocketChannel> channelType;
    private final FastThreadLocal<Map<InetSocketAddress, ArrayDeque<Channel>>> pools = new FastThreadLocal<>() {
        @Override
        protected Map<InetSocketAddress, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    OriginPool(long originTimeoutMs, long originIdleMs, Class<? extends SocketChannel> channelType) {
        this.originTimeoutMs = originTimeoutMs;
        this.originIdleMs = originIdleMs;
        this.channelType = channelType;
    }

    /** On an event loop: an open pooled connection to {@code address}, most recently used first; or null. */
    Channel poll(InetSocketAddress address) {
        ArrayDeque<Channel> idle = pools.get().get(address);
        while (idle != null && !idle.isEmpty()) {
            Channel c = idle.pollLast();
            if (c.isActive()) {
                return c;
            }
        }
        return null;
    }

    /** On the connection's event loop: keeps it for the next request to {@code address}. */
    void offer(InetSocketAddress address, Channel c) {
        pools.get().computeIfAbsent(address, k -> new ArrayDeque<>()).addLast(c);
    }

    /** On the connection's event loop: it closed. */
    void forget(InetSocketAddress address, Channel c) {
        ArrayDeque<Channel> idle = pools.get().get(address);
        if (idle != null) {
            idle.remove(c);
        }
    }

    /** On an event loop: closes its pooled connections to every release not {@code kept}. */
    void closeIdleUnless(Predicate<InetSocketAddress> kept) {
        var it = pools.get().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<InetSocketAddress, ArrayDeque<Channel>> e = it.next();
            if (!kept.test(e.getKey())) {
                List<Channel> idle = List.copyOf(e.getValue());
                it.remove();
                idle.forEach(Channel::close);
            }
        }
    }

    /** Opens a new connection to {@code origin} on {@code loop}. */
    ChannelFuture connect(EventLoop loop, Origin origin) {
        return new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // reader-idle only (no listener on every write); OriginConnection tells the two limits apart
                        ch.pipeline().addLast(new IdleStateHandler(Math.min(originTimeoutMs, originIdleMs), 0, 0,
                                TimeUnit.MILLISECONDS), new HttpClientCodec(), new OriginConnection(origin.address(), OriginPool.this));
                    }
                })
                .connect(origin.address());
    }
}
