package dev.switchback.cli;

import dev.switchback.backup.BackupConfig;
import dev.switchback.backup.BackupSetting;
import dev.switchback.backup.Backups;
import dev.switchback.deploy.DeployConfig;
import dev.switchback.deploy.DeploySetting;
import dev.switchback.migration.MigrationConfig;
import dev.switchback.migration.MigrationListener;
import dev.switchback.migration.Migrator;
import dev.switchback.migration.Secrets;
import dev.switchback.migration.Setting;
import dev.switchback.migration.Settings;
import dev.switchback.migration.Switchback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The root command; its subcommands are registered by {@link Subcommands}. */
@Command(name = "switchback", mixinStandardHelpOptions = true, version = "switchback 0.1.0",
        description = "Safe database migrations with a crash-safe lock, drift checks and reversible migrations.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failed", "2:usage or config error", "3:lock not acquired in time",
                "4:verification failed (drift, edited or failed migrations, corrupt backup)", "5:refused as unsafe (no down migration, unsafe migration without --allow-unsafe)"})
final class SwitchbackCommand implements Runnable {

    @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "config file (default: $SWITCHBACK_CONFIG, else ./switchback.yml when present)")
    Path config;

    @Option(names = "--url", scope = ScopeType.INHERIT, description = "JDBC URL (database.url)")
    String url;

    @Option(names = "--user", scope = ScopeType.INHERIT, description = "database user")
    String user;

    @Option(names = "--password", scope = ScopeType.INHERIT, description = "database password")
    String password;

    @Option(names = "--locations", scope = ScopeType.INHERIT, split = ",", paramLabel = "LOC",
            description = "migration locations: directories and classpath: prefixes (comma-separated)")
    String[] locations;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the result as JSON")
    boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "log warnings and errors only")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "log debug details and stack traces")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Passwords known to this invocation (flags, environment, URL), kept out of every error message. */
    private Secrets secrets = Secrets.of(null);

    /** Where the last {@link #migrator} took the database URL from (status says so). */
    private String urlSource;

    String urlSource() {
        return urlSource;
    }

    Secrets secrets() {
        return secrets;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    Output output() {
        return new Output(System.out, json);
    }

    /** The migrator for this invocation: flag over environment over file over default. */
    Migrator migrator(Map<Setting, String> commandFlags, MigrationListener listener) {
        Map<String, String> env = System.getenv();
        secrets = Secrets.of(url != null ? url : env.get(Setting.DATABASE_URL.envName()), password,
                env.get(Setting.DATABASE_PASSWORD.envName()));
        Path file = ConfigFile.locate(config, env);
        Path baseDir = file != null ? file.getParent() : Path.of("").toAbsolutePath();
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        if (url != null) {
            flags.put(Setting.DATABASE_URL, url);
        }
        if (user != null) {
            flags.put(Setting.DATABASE_USER, user);
        }
        if (password != null) {
            flags.put(Setting.DATABASE_PASSWORD, password);
        }
        if (locations != null) {
            flags.put(Setting.LOCATIONS, String.join(",", locations));
        }
        flags.putAll(commandFlags);
        Map<String, String> fileValues = ConfigFile.values(file, env);
        Map<Setting, String> fileSettings = ConfigFile.select(Setting.class, fileValues);
        Map<Setting, String> resolved = Settings.resolve(fileSettings, env, flags);
        urlSource = Settings.urlSource(fileSettings, env, flags, file == null ? "the config file" : String.valueOf(file.getFileName()));
        secrets = Secrets.of(resolved.get(Setting.DATABASE_URL), resolved.get(Setting.DATABASE_PASSWORD), password);
        Switchback.Builder builder = Switchback.configure().baseDir(baseDir).environment(Map.of()).listener(listener);
        resolved.forEach(builder::set);
        return builder.load().withDrift(dev.switchback.migration.DriftConfig.from(Settings.resolve(
                dev.switchback.migration.DriftSetting.class, ConfigFile.select(dev.switchback.migration.DriftSetting.class, fileValues), env, Map.of())));
    }

    MigrationConfig config() {
        return migrator(Map.of(), MigrationListener.NONE).config();
    }

    /** Backups of the migrator's database, with the backup: settings (flag > env > file > default). */
    Backups backups(Migrator migrator) {
        return new Backups(migrator, backupConfig(), () -> new dev.switchback.deploy.Snapshots(deployConfig()).backupIds());
    }

    DeployConfig deployConfig() {
        Map<String, String> env = System.getenv();
        Path file = ConfigFile.locate(config, env);
        Path baseDir = file != null ? file.getParent() : Path.of("").toAbsolutePath();
        return DeployConfig.from(Settings.resolve(DeploySetting.class,
                ConfigFile.select(DeploySetting.class, ConfigFile.values(file, env)), env, Map.of()), baseDir);
    }

    /** deploy.runtime and deploy.kubernetes.*: plain settings, read without loading the Kubernetes client. */
    Map<dev.switchback.kubernetes.KubernetesSetting, String> kubernetesSettings() {
        Map<String, String> env = System.getenv();
        Path file = ConfigFile.locate(config, env);
        return Settings.resolve(dev.switchback.kubernetes.KubernetesSetting.class,
                ConfigFile.select(dev.switchback.kubernetes.KubernetesSetting.class, ConfigFile.values(file, env)), env, Map.of());
    }

    /** Whether deploy.runtime is kubernetes: upgrade commands then drive the cluster instead of the daemon. */
    boolean kubernetes() {
        return "kubernetes".equals(String.valueOf(kubernetesSettings().get(dev.switchback.kubernetes.KubernetesSetting.RUNTIME)).strip());
    }

    Path baseDir() {
        Path file = ConfigFile.locate(config, System.getenv());
        return file != null ? file.getParent() : Path.of("").toAbsolutePath();
    }

    /** The effective configuration for snapshots: database URL and password masked, service env masked. */
    Map<String, Object> maskedConfig(DeployConfig deploy) {
        MigrationConfig m = config();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("database", Map.of("url", String.valueOf(m.maskedUrl()), "user", String.valueOf(m.user()),
                "password", m.password() == null ? "null" : "****"));
        out.put("migrations", Map.of("locations", m.locations(), "table", m.table()));
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("router", deploy.routerHost() + ":" + deploy.routerPort());
        d.put("admin", deploy.adminHost() + ":" + deploy.adminPort());
        d.put("command", deploy.command());
        d.put("workingDirectory", deploy.workingDirectory().toString());
        d.put("env", deploy.maskedEnv());
        d.put("healthCheck", Map.of("path", deploy.healthPath(), "interval", deploy.healthInterval().toString(),
                "timeout", deploy.healthTimeout().toString(), "healthyThreshold", deploy.healthyThreshold()));
        d.put("failover", deploy.failover().mode().id());
        d.put("notify", deploy.webhooks().stream().map(dev.switchback.deploy.notify.NotifyTarget::toString).toList());
        d.put("workers", deploy.workers().stream().map(Object::toString).toList());
        out.put("deploy", d);
        return out;
    }

    BackupConfig backupConfig() {
        Map<String, String> env = System.getenv();
        Path file = ConfigFile.locate(config, env);
        Path baseDir = file != null ? file.getParent() : Path.of("").toAbsolutePath();
        return BackupConfig.from(Settings.resolve(BackupSetting.class,
                ConfigFile.select(BackupSetting.class, ConfigFile.values(file, env)), env, Map.of()), baseDir);
    }
}
