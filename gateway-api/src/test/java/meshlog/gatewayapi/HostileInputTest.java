package meshlog.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.parse.ConfigParser;
import org.junit.jupiter.api.Test;

/** Input built to exhaust memory or time is refused with a clear error, and nothing of it is applied. */
class HostileInputTest {

    private static final String HEADER = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: lol}
            spec:
              host: lol.example.com
            """;

    @Test
    void billionLaughsIsRefusedNotExpanded() {
        StringBuilder yaml = new StringBuilder(HEADER).append("  subsets:\n");
        yaml.append("  - &a {name: a, labels: {l: lol}}\n");
        String prev = "a";
        for (int level = 0; level < 9; level++) {
            String name = "l" + level;
            yaml.append("  - &").append(name).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            yaml.append("]\n");
            prev = name;
        }
        CompiledConfig c = compile(yaml.toString());

        assertThat(c.resources()).isEmpty();
        assertThat(c.errors()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("ML0001");
            assertThat(d.message()).contains("aliases expand to more than 10000 values");
        });
    }

    @Test
    void aliasesAsPeopleUseThemReadAsTheValueTheyStandFor() {
        String yaml = HEADER.replace("host: lol.example.com", "host: &host lol.example.com") + """
                  subsets:
                  - name: v1
                    labels: &common {app: lol, version: v1}
                  - name: v2
                    labels: *common
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: lol}
                spec:
                  hosts: [&h lol.example.com]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  endpoints: [{address: 10.0.0.1, labels: {app: lol, version: v1}}]
                """;
        CompiledConfig c = compile(yaml);

        assertThat(c.errors()).isEmpty();
        var rule = (meshlog.gatewayapi.model.DestinationRule) c.resources().get(0).resource();
        assertThat(rule.subsets().get(1).labels()).isEqualTo(Map.of("app", "lol", "version", "v1"));
    }

    @Test
    void anAliasToAnAnchorOfAnotherDocumentIsAnError() {
        String yaml = HEADER.replace("host: lol.example.com", "host: &h lol.example.com") + "---\n"
                + HEADER.replace("name: lol", "name: two").replace("host: lol.example.com", "host: *h");
        CompiledConfig c = compile(yaml);

        assertThat(c.errors()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("ML0001");
            assertThat(d.message()).contains("alias *h refers to no anchor");
        });
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeParsing() {
        String yaml = HEADER + "#" + "x".repeat(ConfigParser.MAX_FILE_BYTES) + "\n";
        CompiledConfig c = compile(yaml);

        assertThat(c.resources()).isEmpty();
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ML0001");
            assertThat(d.message()).contains("larger than the limit of 4194304 bytes");
        });
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String yaml = HEADER + "  trafficPolicy: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        CompiledConfig c = compile(yaml);

        assertThat(c.resources()).isEmpty();
        assertThat(c.errors()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("ML0001");
            assertThat(d.message()).containsIgnoringCase("depth");
        });
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheFileNamed() {
        byte[] latin1 = (HEADER + "  # caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        CompiledConfig c = ConfigCompiler.compile(Map.of("latin1.yaml", latin1));

        assertThat(c.resources()).isEmpty();
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.format()).startsWith("latin1.yaml:1:1: error [ML0001]");
            assertThat(d.message()).contains("not valid UTF-8");
        });
    }

    @Test
    void aHostileFileDoesNotHideTheOtherFilesProblems() {
        byte[] bomb = new byte[ConfigParser.MAX_FILE_BYTES + 1];
        CompiledConfig c = ConfigCompiler.compile(Map.of("big.yaml", bomb,
                "ok.yaml", HEADER.replace("lol.example.com", "").getBytes(StandardCharsets.UTF_8)));

        assertThat(c.errors()).extracting(Diagnostic::file).containsExactlyInAnyOrder("big.yaml", "ok.yaml");
    }

    private static CompiledConfig compile(String yaml) {
        return ConfigCompiler.compile(Map.of("hostile.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
