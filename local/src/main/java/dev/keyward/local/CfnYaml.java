package dev.keyward.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads CloudFormation-flavoured YAML (template.yaml, and openapi.yaml as SAM includes it).
 * Short-form intrinsics such as {@code !Sub}, {@code !Ref} or {@code !GetAtt} are read as the
 * plain value they carry, which is all the local API needs: the text of a {@code !Sub} is where
 * the integration names its function.
 */
final class CfnYaml {
    private CfnYaml() {
    }

    static Map<String, Object> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Reader reader) {
        Object document = new Yaml(new TolerantConstructor()).load(reader);
        if (!(document instanceof Map)) {
            throw new IllegalArgumentException("expected a YAML mapping at the top level");
        }
        return (Map<String, Object>) document;
    }

    static Map<String, Object> parse(String yaml) {
        return parse(new java.io.StringReader(yaml));
    }

    /** A safe constructor whose fallback for unknown tags builds the untagged value. */
    private static final class TolerantConstructor extends SafeConstructor {
        TolerantConstructor() {
            super(new LoaderOptions());
            Construct scalar = new ConstructYamlStr();
            Construct sequence = new ConstructYamlSeq();
            Construct mapping = new ConstructYamlMap();
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return pick(node).construct(node);
                }

                @Override
                public void construct2ndStep(Node node, Object object) {
                    pick(node).construct2ndStep(node, object);
                }

                private Construct pick(Node node) {
                    return switch (node.getNodeId()) {
                        case scalar -> scalar;
                        case sequence -> sequence;
                        default -> mapping;
                    };
                }
            });
        }
    }
}
