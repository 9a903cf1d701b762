package dev.gatehouse.testkit.runtime;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a tenant built in a test as the tenant file the server reads
 * ({@code gatehouse.tenant-file}): the same file a user would write, so the server
 * applies and validates it exactly as it does at any start.
 */
final class TenantYaml {

    private TenantYaml() {
    }

    static Path write(Map<String, Object> tenant, Path file) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# Written by the Gatehouse test kit from the test's tenant builder.\n");
            new Yaml(options).dump(tenant, out);
            return file;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot write the test tenant to " + file, ex);
        }
    }

}
