package dev.switchback.bench.boot;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * The benchmarked service: web MVC and JDBC on PostgreSQL, migrated at start-up by Switchback's starter or by Spring
 * Boot's Flyway starter (the other switched off by its property). Prints one line when the application is ready:
 * the time since the JVM started and the time the migration beans took, from the first one's instantiation to the
 * last one's initialization (Flyway: flyway, flywayInitializer; Switchback: switchbackMigrator,
 * switchbackMigrationInitializer).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchApp {
    private static final Set<String> CHECK_BEANS = Set.of("flyway", "flywayInitializer", "switchbackMigrator",
            "switchbackMigrationInitializer");
    static volatile long checkStart;
    static volatile long checkEnd;

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BenchApp.class);
        app.addListeners((ApplicationListener<ApplicationReadyEvent>) e -> {
            long ready = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("BENCH ready_ms=" + ready + " check_ms=" + (checkEnd - checkStart) / 1_000_000.0);
            System.out.flush();
        });
        app.run(args).close();
    }

    @Bean
    static BeanPostProcessor migrationCheckTimer() {
        return new InstantiationAwareBeanPostProcessor() {
            @Override
            public Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
                if (CHECK_BEANS.contains(beanName) && checkStart == 0) {
                    checkStart = System.nanoTime();
                }
                return null;
            }

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (CHECK_BEANS.contains(beanName)) {
                    checkEnd = System.nanoTime();
                }
                return bean;
            }
        };
    }
}
