package meshlog.reconciler;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshlog.configstore.endpoints.DiscoveredService;
import meshlog.configstore.endpoints.EndpointRecords;
import meshlog.configstore.event.CommitInfo;
import meshlog.configstore.event.ConfigEvent;
import meshlog.configstore.event.ConfigEvent.CommitApplied;
import meshlog.configstore.event.ConfigEvent.ResourceUpserted;
import meshlog.configstore.state.ConfigState;
import meshlog.gatewayapi.ConfigCompiler;
import meshlog.gatewayapi.ConfigCompiler.CompiledConfig;
import meshlog.gatewayapi.parse.ParsedResource;

/** Istio YAML to a ConfigState the way production gets there: compile, events, replay. */
public final class TestConfigs {

    public static final String REPO = "test-repo";

    private TestConfigs() {
    }

    /**
     * The Kubernetes Services of a golden case: its {@code discovered.jsonl} (one {@code meshlog.endpoints} service
     * record per line, as discovery writes them), or none.
     */
    public static List<DiscoveredService> discovered(java.nio.file.Path caseDir) {
        java.nio.file.Path file = caseDir.resolve("discovered.jsonl");
        if (!java.nio.file.Files.exists(file)) {
            return List.of();
        }
        try {
            return java.nio.file.Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                    .map(l -> EndpointRecords.service(l.getBytes(StandardCharsets.UTF_8))).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each argument is one file's content; validation errors fail the test. */
    public static ConfigState state(String... files) {
        return replay(compile(files).resources());
    }

    public static CompiledConfig compile(String... files) {
        Map<String, byte[]> byName = new LinkedHashMap<>();
        for (int i = 0; i < files.length; i++) {
            byName.put("config-" + i + ".yaml", files[i].getBytes(StandardCharsets.UTF_8));
        }
        CompiledConfig compiled = ConfigCompiler.compile(byName);
        if (compiled.hasErrors()) {
            throw new AssertionError("test config does not validate:\n" + compiled.errors());
        }
        return compiled;
    }

    /** One commit upserting the resources in the given order. */
    public static ConfigState replay(List<ParsedResource> resources) {
        List<ConfigEvent> events = new ArrayList<>();
        for (ParsedResource p : resources) {
            events.add(new ResourceUpserted(REPO, "c1", p.resource().key(), p.file(), p.line(), p.json()));
        }
        CommitInfo info = new CommitInfo("c1", "tester", "tester@example.com", Instant.EPOCH, "test");
        events.add(new CommitApplied(REPO, info, resources.stream().map(p -> p.resource().key()).toList(),
                List.of()));
        return ConfigState.replay(events);
    }
}
