package dev.switchback.server;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.Deployer;
import dev.switchback.deploy.ReleaseMigrations;
import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchback serve}: the router, the admin API and the deployer in one process. Releases are not
 * its children in any way that matters: they keep running when the daemon stops or crashes, and a new
 * daemon adopts them.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    private final Vertx vertx;
    private final Router router;
    private final AdminApi admin;
    private final Deployer deployer;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Daemon(Vertx vertx, Router router, AdminApi admin, Deployer deployer) {
        this.vertx = vertx;
        this.router = router;
        this.admin = admin;
        this.deployer = deployer;
    }

    public static Daemon start(DeployConfig config, ReleaseMigrations migrations, String token, Map<String, Object> maskedConfig) {
        Metrics metrics = new Metrics();
        Router router = new Router(metrics);
        Deployer deployer = new Deployer(config, router, migrations, metrics, maskedConfig);
        Vertx vertx = null;
        AdminApi admin = null;
        try {
            // traffic first: after a crash the recorded active release (still running) is served again at once, and
            // adopt() then health-checks every slot and corrects the route if it must
            deployer.routeRecorded();
            router.listen(config.routerHost(), config.routerPort()).get(30, TimeUnit.SECONDS);
            // the admin API's Vert.x: deploy work (migrations, health gates) runs on its worker threads and may take minutes
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setMaxWorkerExecuteTime(2)
                    .setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS).setWorkerPoolSize(8));
            deployer.adopt();
            deployer.watch();
            admin = new AdminApi(vertx, deployer, router, metrics, token, release -> migrations.migrator(release).status());
            admin.listen(config.adminHost(), config.adminPort()).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            deployer.close();
            router.close();
            if (vertx != null) {
                vertx.close();
            }
            Throwable why = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new SwitchbackException(ErrorCode.FAILED, "The daemon could not start: " + why.getMessage()
                    + " (is another `switchback serve` using " + config.routerHost() + ":" + config.routerPort() + " or "
                    + config.adminHost() + ":" + config.adminPort() + "?)", e);
        }
        log.info("Router on {}:{}, admin API on {}:{}", config.routerHost(), config.routerPort(), config.adminHost(), config.adminPort());
        return new Daemon(vertx, router, admin, deployer);
    }

    public Deployer deployer() {
        return deployer;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        try {
            deployer.close();
            router.close();
            admin.close().await(10, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Shutdown was not clean: {}", e.getMessage());
        } finally {
            stopped.countDown();
        }
    }
}
