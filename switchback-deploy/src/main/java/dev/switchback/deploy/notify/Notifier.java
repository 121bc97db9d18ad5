package dev.switchback.deploy.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@link DeployEvent}s to the {@code deploy.notify} webhooks in the background. {@link #publish} only hands the
 * event over and returns: every POST is asynchronous with a timeout, and a failed one is tried again later, so a slow or
 * dead webhook never holds up traffic, a rollout or the operation that published. At most {@link #MAX_PENDING}
 * deliveries wait at once; past that a notification is dropped with a warning rather than piling up in memory.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final int ATTEMPTS = 3;
    static final int MAX_PENDING = 1000;
    private final List<NotifyTarget> targets;
    private final Duration timeout;
    private final Duration retryDelay;
    private final AtomicInteger pending = new AtomicInteger();
    // built on first use: a daemon without webhooks never starts these threads
    private ScheduledExecutorService timer;
    private HttpClient http;
    // set by close(): a publish after it (a switch racing the daemon's shutdown) is dropped, never thrown at its caller
    private volatile boolean closed;

    public Notifier(List<NotifyTarget> targets) {
        this(targets, Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    /**
     * @param timeout    how long one POST may take, connecting included
     * @param retryDelay the wait before the second attempt; doubled before the third
     */
    public Notifier(List<NotifyTarget> targets, Duration timeout, Duration retryDelay) {
        this.targets = List.copyOf(targets);
        this.timeout = timeout;
        this.retryDelay = retryDelay;
    }

    /** Queues {@code event} for every webhook that wants it; returns at once. */
    public void publish(DeployEvent event) {
        if (closed) {
            log.debug("Notification {} dropped: the notifier is closed", event.type().id());
            return;
        }
        for (NotifyTarget t : targets) {
            if (!t.wants(event.type())) {
                continue;
            }
            if (pending.incrementAndGet() > MAX_PENDING) {
                pending.decrementAndGet();
                log.warn("Notification {} to {} dropped: {} deliveries are already waiting", event.type().id(), t.maskedUrl(), MAX_PENDING);
                continue;
            }
            byte[] body = t.format().body(event);
            try {
                timer().execute(() -> send(t, event, body, 1));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.decrementAndGet();
                log.debug("Notification {} dropped: the notifier is closed", event.type().id());
            }
        }
    }

    private void send(NotifyTarget t, DeployEvent event, byte[] body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(t.url()).timeout(timeout).header("Content-Type", "application/json")
                .header("User-Agent", "switchback").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                    .whenComplete((r, e) -> {
                        String failure = e != null ? describe(e, t) : r.statusCode() / 100 == 2 ? null : "answered " + r.statusCode();
                        done(t, event, body, attempt, failure);
                    });
        } catch (RuntimeException e) {
            done(t, event, body, attempt, describe(e, t));
        }
    }

    private void done(NotifyTarget t, DeployEvent event, byte[] body, int attempt, String failure) {
        if (failure == null) {
            pending.decrementAndGet();
            log.debug("Notified {} of {}", t.maskedUrl(), event.type().id());
            return;
        }
        if (attempt >= ATTEMPTS || timer.isShutdown()) {
            pending.decrementAndGet();
            log.warn("Notification {} to {} failed {} time(s), given up: {}", event.type().id(), t.maskedUrl(), attempt, failure);
            return;
        }
        log.info("Notification {} to {} failed ({}); trying again", event.type().id(), t.maskedUrl(), failure);
        long delay = retryDelay.toMillis() << (attempt - 1);
        try {
            timer.schedule(() -> send(t, event, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet();
        }
    }

    /** What went wrong, without the URL (some exceptions quote it): the URL is a secret. */
    private static String describe(Throwable e, NotifyTarget t) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String m = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        m = m.replace(t.url().toString(), t.maskedUrl());
        String path = t.url().getRawPath();
        return path == null || path.length() < 2 ? m : m.replace(path, "/****");
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "switchback-notify");
                th.setDaemon(true);
                return th;
            });
        }
        return timer;
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).executor(timer()).build();
        }
        return http;
    }

    /** Deliveries queued or in flight. */
    public int pending() {
        return pending.get();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
