package dev.gatehouse.authserver.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Gives a client without {@code client_id} a stable one derived from its name, so a
 * Deploy CLI export made without {@code --export_ids} loads: such an export leaves
 * {@code client_id} out (Auth0 assigns ids) and names clients by {@code name} in
 * {@code clientGrants}, which the tenant file already accepts.
 * <p>
 * The derived id is the first 32 characters of the lower-case hex SHA-256 of the client's
 * name in UTF-8 (32 characters, like an Auth0 client id): the same name gives the same id
 * on every start and on every machine, so refresh tokens and consents survive a restart,
 * and it can be computed ahead, e.g. for the SPA's {@code config.json}:
 * {@code printf '%s' 'My SPA' | sha256sum | cut -c1-32}. Each derived id is logged at
 * startup. Names are unique in a tenant file, so derived ids are too.
 * <p>
 * Works on the YAML node tree before the tenant is read, so the reader's rules apply to
 * the derived id as to a written one.
 */
final class DerivedClientIds {

    private static final Logger log = LoggerFactory.getLogger(DerivedClientIds.class);

    private DerivedClientIds() {
    }

    /** The id a client named {@code name} gets when it has no {@code client_id}. */
    static String of(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
        }
    }

    /**
     * Adds {@code client_id} to every entry of {@code clients} that has a name and no
     * {@code client_id} key; entries without a name are left for the reader to report.
     * @return the names of the clients that got one
     */
    static List<String> addMissing(Node root, String source) {
        List<String> derived = new ArrayList<>();
        if (!(root instanceof MappingNode top)) {
            return derived;
        }
        for (NodeTuple entry : top.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode key && "clients".equals(key.getValue())
                    && entry.getValueNode() instanceof SequenceNode clients) {
                for (Node client : clients.getValue()) {
                    if (client instanceof MappingNode mapping && !hasKey(mapping, "client_id")) {
                        String name = scalar(mapping, "name");
                        if (name != null && !name.isBlank()) {
                            String id = of(name.trim());
                            mapping.getValue().add(new NodeTuple(text("client_id", mapping), text(id, mapping)));
                            log.info(
                                    "Tenant file {}: client '{}' has no client_id; using the id derived from its name: {}",
                                    source, name.trim(), id);
                            derived.add(name.trim());
                        }
                    }
                }
            }
        }
        return derived;
    }

    private static boolean hasKey(MappingNode mapping, String name) {
        return mapping.getValue()
            .stream()
            .anyMatch((t) -> t.getKeyNode() instanceof ScalarNode k && name.equals(k.getValue()));
    }

    private static String scalar(MappingNode mapping, String name) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && name.equals(key.getValue())
                    && tuple.getValueNode() instanceof ScalarNode value && Tag.STR.equals(value.getTag())) {
                return value.getValue();
            }
        }
        return null;
    }

    /**
     * A string node placed at the client entry, so any problem with it names that line.
     */
    private static ScalarNode text(String value, MappingNode at) {
        return new ScalarNode(Tag.STR, value, at.getStartMark(), at.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
    }

}
