package dev.switchback.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/** One request and its response, on the client connection's event loop. */
final class Exchange {
    /** Where an exchange is; the request and the response may overlap (a release may answer before the body ends). */
    enum State {
        /** Forwarded: waiting for a connection to the release. */
        CONNECTING,
        /** The request (its body) is going to the release; no response yet. */
        SENDING,
        /** The release has the whole request; no response yet: from now on its silence counts. */
        WAITING,
        /** The release began its response before it had the whole request. */
        RESPONDING_EARLY,
        /** The release has the whole request and is answering. */
        RESPONDING,
        /** Answered by the router itself (maintenance, pause, no release, bad request) once the body has been read. */
        LOCAL,
        /** The response ended, failed or the client went: counted once. */
        DONE
    }

    final ClientConnection front;
    final HttpRequest request;
    /** The instance it goes to; changed only before anything of the request was sent (a refused connection). */
    Origin origin;
    final boolean http10;
    boolean clientKeepAlive;
    final long started = System.nanoTime();
    State state;
    Channel back;
    /** Part of the request body was written to the release and not flushed yet. */
    boolean unflushed;
    int status;
    FullHttpResponse localResponse;
    String localSlot;
    /** The side the router chose for a client without one, as a cookie for the response (null when none is due). */
    String setCookie;

    Exchange(ClientConnection front, HttpRequest request, Origin origin) {
        this.front = front;
        this.request = request;
        this.origin = origin;
        this.state = State.CONNECTING;
        this.clientKeepAlive = HttpUtil.isKeepAlive(request) && !front.codec.framedAmbiguously(request);
        this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    boolean requestDone() {
        return state == State.WAITING || state == State.RESPONDING || state == State.DONE;
    }

    boolean isLocal() {
        return state == State.LOCAL;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    /** Answers from the router itself (maintenance, pause, no release) once the request body has been read. */
    void local(HttpResponseStatus status, String slot, String body, boolean retry) {
        state = State.LOCAL;
        localSlot = slot;
        this.status = status.code();
        localResponse = HopByHop.textResponse(status, body);
        if (retry) {
            localResponse.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        }
        if (request instanceof LastHttpContent) {
            sendLocal();
        }
    }

    void sendLocal() {
        boolean keepAlive = clientKeepAlive;
        if (!keepAlive) {
            localResponse.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        state = State.DONE;
        ChannelFuture f = front.ctx.writeAndFlush(localResponse);
        front.router.metrics.request(localSlot, status, System.nanoTime() - started);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        front.finished(this, keepAlive);
    }

    /** The whole request is with the release (or answered locally): from now on its silence counts. */
    void requestSent() {
        if (state == State.SENDING) {
            state = State.WAITING;
        } else if (state == State.RESPONDING_EARLY) {
            state = State.RESPONDING;
        }
        if (back != null) {
            ((OriginConnection) back.pipeline().last()).quietSince = System.nanoTime();
        }
    }

    /**
     * Before anything was sent: the request goes to another instance instead (of the same slot, or of the joined one during
     * a rolling update). Both of its in-flight counts move with it, the instance's and the slot's, as {@link #count()}
     * takes them back from where it ended.
     */
    void moveTo(Origin next) {
        front.router.counters[origin.slot().ordinal()].inFlight.decrementAndGet();
        origin.outstanding.decrementAndGet();
        front.router.counters[next.slot().ordinal()].inFlight.incrementAndGet();
        next.outstanding.incrementAndGet();
        origin = next;
    }

    void attach(Channel channel) {
        back = channel;
        state = State.SENDING;
        ((OriginConnection) channel.pipeline().last()).exchange = this;
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
    void fromOrigin(HttpObject m, OriginConnection backHandler) {
        if (m instanceof HttpResponse response) {
            int code = response.status().code();
            boolean informational = code >= 100 && code < 200 && code != 101;
            if (!informational) {
                status = code;
                state = state == State.SENDING ? State.RESPONDING_EARLY : State.RESPONDING;
                backHandler.originKeepAlive = HttpUtil.isKeepAlive(response);
            }
            HopByHop.strip(response.headers());
            if (setCookie != null && !informational) {
                response.headers().add(HttpHeaderNames.SET_COOKIE, setCookie);
            }
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
            boolean requestDone = requestDone();
            state = State.DONE;
            // counted before the client can see the end, so a client that has its response finds it counted
            count();
            boolean keepAlive = clientKeepAlive;
            if (keepAlive) {
                front.ctx.writeAndFlush(m, front.ctx.voidPromise()); // no promise to allocate and complete
            } else {
                front.ctx.writeAndFlush(m).addListener(ChannelFutureListener.CLOSE);
            }
            Channel c = back;
            backHandler.exchange = null;
            if (backHandler.originKeepAlive && requestDone && c.isActive() && front.router.policy.routes(origin.address())) {
                front.router.pool.offer(origin.address(), c);
            } else {
                c.close();
            }
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
                + front.router.pool.originTimeoutMs + " ms\n");
    }

    /** Before the response began the client gets {@code why}; after, its connection is closed. */
    private void originFailed(HttpResponseStatus why, String message) {
        if (state == State.DONE) {
            return;
        }
        if (state != State.RESPONDING && state != State.RESPONDING_EARLY) {
            failed(why, message);
        } else {
            dropBack();
            state = State.DONE;
            count();
            front.ctx.close();
        }
    }

    /** The request's body turned out malformed: a 400 and a close, or only the close once the response began. */
    void badRequestBody() {
        if (state == State.DONE) {
            return;
        }
        if (state == State.RESPONDING || state == State.RESPONDING_EARLY) {
            originFailed(HttpResponseStatus.BAD_REQUEST, null);
            return;
        }
        if (localResponse != null) {
            localResponse.release(); // the answer prepared for a request read to its end, which it never was
            localResponse = null;
        }
        failed(HttpResponseStatus.BAD_REQUEST, "Bad request: the body's framing is invalid (chunk size)\n");
    }

    void failed(HttpResponseStatus why, String message) {
        dropBack();
        status = why.code();
        state = State.DONE;
        count();
        localResponse = HopByHop.textResponse(why, message);
        localResponse.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (why == HttpResponseStatus.BAD_GATEWAY) {
            // the release is gone or restarting (deploy.failover): worth trying again shortly
            localResponse.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        front.ctx.writeAndFlush(localResponse).addListener(ChannelFutureListener.CLOSE);
        front.finished(this, false);
    }

    /** Closes the connection to the release: it may be mid-response, so it never goes back to the pool. */
    private void dropBack() {
        if (back != null) {
            ((OriginConnection) back.pipeline().last()).exchange = null;
            back.close();
        }
    }

    void clientGone() {
        if (state != State.DONE) {
            dropBack();
            state = State.DONE;
            status = 499;
            count();
        }
    }

    /** Once, when a forwarded exchange ends: the slot's in-flight count, its counters and metrics. */
    private void count() {
        if (origin == null) {
            return;
        }
        long nanos = System.nanoTime() - started;
        SlotCounters c = front.router.counters[origin.slot().ordinal()];
        c.inFlight.decrementAndGet();
        origin.outstanding.decrementAndGet();
        c.record(status, nanos);
        front.router.metrics.request(origin.slot().id(), status, nanos);
    }
}
