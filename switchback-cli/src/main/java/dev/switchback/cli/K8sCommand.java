package dev.switchback.cli;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "k8s", description = "Kubernetes (deploy.runtime: kubernetes): render the manifests a perform applies.",
        subcommands = K8sCommand.Render.class)
final class K8sCommand implements Runnable {
    @Mixin
    HelpOption help;

    @ParentCommand
    SwitchbackCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "render", description = "Print, as multi-document YAML, the slot's Deployment and Service and the HTTPRoute "
            + "(or the Service without a Gateway) with the step's weights, for review or GitOps.")
    static final class Render implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @ParentCommand
        K8sCommand parent;
        @Option(names = "--release", description = "the release (fills ${RELEASE})")
        String release;
        @Option(names = "--weight", defaultValue = "100", description = "the new slot's share in percent (default 100)")
        int weight;
        @Option(names = "--offline", description = "render without a cluster, as for a first deploy into blue")
        boolean offline;
        @Option(names = "--serve", description = "instead: `switchback serve` as a Deployment in the namespace, with its ServiceAccount "
                + "and a Role granting what driving a rollout calls (needs --image)")
        boolean serve;
        @Option(names = "--image", description = "with --serve: an image whose entrypoint is the switchback launcher")
        String image;

        @Override
        public Integer call() {
            if (serve == (release != null) || serve != (image != null)) {
                throw new SwitchbackException(ErrorCode.CONFIG, "k8s render takes --release R (the slot's manifests), or --serve with "
                        + "--image IMAGE (serve's own)");
            }
            parent.root.output().line(serve ? KubernetesRender.serve(parent.root, image) : KubernetesRender.render(parent.root, release, weight, offline));
            return 0;
        }
    }
}
