package dev.switchback.server;

import dev.switchback.deploy.Slot;
import dev.switchback.deploy.TrafficControl;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's public listener: a Vert.x reverse proxy that sends each request to the slot active when it
 * arrives. A switch is one volatile write; client keep-alive connections are the router's own and survive it.
 */
public final class Router implements TrafficControl {
    private record Origin(Slot slot, SocketAddress address) {
    }

    private final Vertx vertx;
    private final Metrics metrics;
    private final HttpProxy proxy;
    // the origin chosen on arrival, handed to the proxy's origin selector
    private final Map<HttpServerRequest, Origin> chosen = new ConcurrentHashMap<>();
    private final AtomicInteger[] inFlight = {new AtomicInteger(), new AtomicInteger()};
    private volatile Origin active;
    private volatile boolean maintenance;
    private volatile String maintenanceMessage;
    private record Held(HttpServerRequest request, Context context) {
    }

    // guarded by itself: requests held while paused, with the event loop each belongs to
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile boolean paused;
    private long pauseGeneration;
    private volatile String deployment;

    public Router(Vertx vertx, Metrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        // keep-alive to the releases shorter than theirs, so we never reuse a connection they are closing
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(5)
                .setConnectTimeout(2000), new PoolOptions().setHttp1MaxSize(200));
        this.proxy = HttpProxy.reverseProxy(client)
                .origin(OriginRequestProvider.selector(ctx -> {
                    Origin o = chosen.remove(ctx.request().proxiedRequest());
                    return o == null ? Future.failedFuture("no origin") : Future.succeededFuture(o.address());
                }))
                .addInterceptor(new ProxyInterceptor() {
                    @Override
                    public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
                        forwarded(ctx.request());
                        return ctx.sendRequest();
                    }
                });
    }

    /** Vert.x options for a process that runs a Router: epoll (the native transport, on the classpath) where available. */
    public static VertxOptions vertxOptions() {
        return new VertxOptions().setPreferNativeTransport(true);
    }

    /** Serves the public port from one event loop per core. */
    public Future<Void> listen(String host, int port) {
        return listen(host, port, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Serves the public port from {@code eventLoops} event loops: one HttpServer per loop (a verticle instance each),
     * all bound to the same port, which Vert.x shares among them. All of them route through this one Router (one
     * active origin, one client pool), so a switch is still one write.
     */
    public Future<Void> listen(String host, int port, int eventLoops) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setIdleTimeout(120).setReuseAddress(true);
        return vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(options).requestHandler(Router.this::handle).listen();
            }
        }, new DeploymentOptions().setInstances(Math.max(1, eventLoops))).map(id -> {
            deployment = id;
            return null;
        });
    }

    /** The request path of {@link #listen}, for {@link ClassArchiveTraining} on a server of its own. */
    void handleForTraining(HttpServerRequest req) {
        handle(req);
    }

    private void handle(HttpServerRequest req) {
        if (maintenance) {
            reply(req, "maintenance", 503, maintenanceMessage == null ? "Down for maintenance" : maintenanceMessage);
            return;
        }
        if (paused) {
            req.pause();
            synchronized (held) {
                if (paused) {
                    held.add(new Held(req, Vertx.currentContext()));
                    return;
                }
            }
            req.resume();
        }
        dispatch(req);
    }

    private void dispatch(HttpServerRequest req) {
        Origin o = active;
        if (o == null) {
            reply(req, "none", 503, "No release is active yet");
            return;
        }
        AtomicInteger counter = inFlight[o.slot().ordinal()];
        counter.incrementAndGet();
        long started = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                counter.decrementAndGet();
                metrics.request(o.slot().id(), req.response().getStatusCode(), System.nanoTime() - started);
            }
        };
        req.response().endHandler(v -> finish.run());
        req.response().closeHandler(v -> finish.run());
        chosen.put(req, o);
        proxy.handle(req);
    }

    private static void forwarded(ProxyRequest request) {
        HttpServerRequest in = request.proxiedRequest();
        MultiMap h = request.headers();
        String client = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        String prior = h.get("X-Forwarded-For");
        h.set("X-Forwarded-For", prior == null ? client : prior + ", " + client);
        h.set("X-Forwarded-Proto", in.isSSL() ? "https" : "http");
        String host = in.headers().get("Host");
        if (host != null) {
            h.set("X-Forwarded-Host", host);
        }
    }

    private void reply(HttpServerRequest req, String slot, int status, String message) {
        long started = System.nanoTime();
        req.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Retry-After", "5").end(message + "\n");
        metrics.request(slot, status, System.nanoTime() - started);
    }

    @Override
    public void route(Slot slot, Integer port) {
        active = slot == null || port == null ? null : new Origin(slot, SocketAddress.inetSocketAddress(port, "127.0.0.1"));
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
        vertx.setTimer(Math.max(1, max.toMillis()), id -> {
            // whatever is still held when the pause runs out gets a 503, never an endless wait
            synchronized (held) {
                if (!paused || generation != pauseGeneration) {
                    return;
                }
                paused = false;
                for (Held h : held) {
                    h.context().runOnContext(v -> {
                        h.request().resume();
                        reply(h.request(), "paused", 503, "Paused for a database operation; try again");
                    });
                }
                held.clear();
            }
        });
    }

    @Override
    public void resume() {
        synchronized (held) {
            paused = false;
            for (Held h : held) {
                h.context().runOnContext(v -> {
                    h.request().resume();
                    dispatch(h.request());
                });
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

    public Future<Void> close() {
        return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    }
}
