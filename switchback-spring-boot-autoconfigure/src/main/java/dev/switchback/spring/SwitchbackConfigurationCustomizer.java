package dev.switchback.spring;

import dev.switchback.migration.Switchback;

/**
 * Changes the configuration built from {@code switchback.*} before the migrator is made (beans of this type are
 * applied in their {@code @Order}). The environment's switches still win over what is set here.
 */
@FunctionalInterface
public interface SwitchbackConfigurationCustomizer {
    void customize(Switchback.Builder configuration);
}
