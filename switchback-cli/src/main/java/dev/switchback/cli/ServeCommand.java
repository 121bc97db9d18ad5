package dev.switchback.cli;

import dev.switchback.deploy.DeployConfig;
import dev.switchback.server.AdminToken;
import dev.switchback.server.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "serve", description = "Run the daemon in the foreground: the router (deploy.router.listen), the admin API, "
        + "health and metrics (deploy.admin.listen), and the release supervisor. Adopts releases still running from before. "
        + "With deploy.runtime: kubernetes (in the cluster, see k8s render --serve): drives the rollouts left to run unattended.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Option(names = "--class-archive-training", hidden = true,
            description = "run the start-up path on ephemeral ports and exit (bin/switchback records a CDS archive from it)")
    boolean training;

    @Override
    public Integer call() throws Exception {
        DeployConfig config = root.deployConfig();
        if (!training && root.kubernetes()) {
            return KubernetesServe.run(root);
        }
        if (training) {
            AdminToken.class.getName();
            root.maskedConfig(config);
            dev.switchback.server.ClassArchiveTraining.run(config);
            return 0;
        }
        String token = AdminToken.resolve(config.stateDir(), System.getenv("SWITCHBACK_ADMIN_TOKEN"));
        Daemon daemon = Daemon.start(config, new CliReleaseMigrations(root), token, root.maskedConfig(config));
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "switchback-shutdown"));
        System.out.println("switchback serve: router on " + config.routerHost() + ":" + config.routerPort() + ", admin API on "
                + config.adminHost() + ":" + config.adminPort() + " (Ctrl-C stops the daemon; releases keep running)");
        daemon.awaitStop();
        return 0;
    }
}
