package meshlog.gatewayapi.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import meshlog.gatewayapi.Diagnostic;
import meshlog.gatewayapi.model.MeshResource;
import meshlog.gatewayapi.model.ObjectMeta;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads Istio-style YAML files (several documents each) into typed config objects, reporting every problem with
 * file, line, column and field path instead of stopping at the first.
 */
public final class ConfigParser {

    /** Files larger than this are refused before parsing: config this big is a mistake or an attack. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    static final String SYNTAX = "ML0001";
    static final String DUPLICATE_KEY = "ML0002";
    static final String UNSUPPORTED_KIND = "ML0007";
    static final String MISSING_FIELD = "ML0008";
    static final String NOT_AN_OBJECT = "ML0010";
    private static final List<String> OBJECT_KEYS = List.of("apiVersion", "kind", "metadata", "spec");

    private static final YAMLFactory YAML = yamlFactory();
    private static final JsonFactory JSON = new JsonFactory();

    private ConfigParser() {
    }

    /** Parses one YAML file; {@code file} is the name diagnostics use (a path relative to the repo root). */
    public static ParseResult parseYaml(String file, byte[] content) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        DiagnosticSink sink = new DiagnosticSink(file, diagnostics);
        if (content.length > MAX_FILE_BYTES) {
            sink.error(SYNTAX, 1, 1, "", "file is larger than the limit of " + MAX_FILE_BYTES + " bytes");
            return new ParseResult(List.of(), diagnostics);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            sink.error(SYNTAX, 1, 1, "", "file is not valid UTF-8");
            return new ParseResult(List.of(), diagnostics);
        }
        try (JsonParser p = YAML.createParser(text)) {
            return read(file, p, sink, diagnostics);
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
    }

    /** Parses one document stored as JSON (as the event log keeps it), naming {@code file} in diagnostics. */
    public static ParseResult parseJson(String file, String json) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        DiagnosticSink sink = new DiagnosticSink(file, diagnostics);
        try (JsonParser p = JSON.createParser(json)) {
            return read(file, p, sink, diagnostics);
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
    }

    private static ParseResult read(String file, JsonParser p, DiagnosticSink sink, List<Diagnostic> diagnostics) {
        List<ParsedResource> resources = new ArrayList<>();
        YamlTreeReader reader = new YamlTreeReader(p);
        try {
            for (SourceNode doc = reader.nextDocument(); doc != null; doc = reader.nextDocument()) {
                for (var dup : reader.duplicates()) {
                    sink.error(DUPLICATE_KEY, dup.line(), dup.column(), "", "key \"" + dup.key()
                            + "\" is given more than once in the same mapping");
                }
                reader.duplicates().clear();
                MeshResource r = readDocument(doc, sink);
                if (r != null) {
                    resources.add(new ParsedResource(r, file, doc.line(), doc.column(), JsonWriter.write(doc),
                            FieldPositions.of(doc)));
                }
                sink.resource("");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            sink.error(SYNTAX, at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1,
                    at.getColumnNr()), "", "not valid YAML: " + oneLine(e));
        } catch (IOException e) {
            sink.error(SYNTAX, 1, 1, "", "not valid YAML: " + e.getMessage());
        }
        return new ParseResult(resources, diagnostics);
    }

    /**
     * The parser's reason in one line: SnakeYAML's message quotes the offending lines with a caret under them,
     * which in a diagnostic (one line, {@code file:line:column} already given) is noise.
     */
    static String oneLine(JsonProcessingException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m && m.getProblem() != null) {
                String context = m.getContext() == null || m.getContextMark() == null ? ""
                        : " (" + m.getContext() + " at line " + (m.getContextMark().getLine() + 1) + ", column "
                        + (m.getContextMark().getColumn() + 1) + ")";
                return m.getProblem().strip() + context;
            }
        }
        String text = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(text);
    }

    /** One document to a typed object; null when it is empty, of a kind meshlog skips, or unreadable. */
    private static MeshResource readDocument(SourceNode doc, DiagnosticSink sink) {
        if (doc instanceof SourceNode.ScalarNode s
                && (s.kind() == SourceNode.ScalarKind.NULL || s.text().isBlank())) {
            return null; // an empty document: a trailing "---", or one holding only comments
        }
        if (!(doc instanceof SourceNode.MapNode m)
                || OBJECT_KEYS.stream().noneMatch(m.entries()::containsKey)) {
            // YAML that is no Kubernetes object at all (Helm values, a CI file): not config; said in case it was.
            sink.warning(NOT_AN_OBJECT, doc.line(), doc.column(), "",
                    "not a Kubernetes object (no apiVersion, kind, metadata or spec); ignored");
            return null;
        }
        Fields top = Fields.of(doc, "", sink);
        String apiVersion = top.string("apiVersion");
        String kind = top.string("kind");
        if (apiVersion == null || kind == null) {
            // An object with a mistyped apiVersion or kind: an error, or the commit would delete what it defined.
            sink.error(MISSING_FIELD, doc, apiVersion == null ? "apiVersion" : "kind",
                    "a config object needs apiVersion and kind");
            return null;
        }
        Kinds.Kind known = Kinds.find(apiVersion, kind);
        ObjectMeta meta = metadata(top, sink);
        sink.resource((known == null ? kind : known.label()) + " "
                + (meta == null ? "?" : meta.namespace() + "/" + meta.name()));
        Kinds.Kind misversioned = known == null ? Kinds.otherVersion(apiVersion, kind) : null;
        if (misversioned != null) {
            // A known kind under a version that does not exist: an error, or the typo would delete the object.
            sink.error(UNSUPPORTED_KIND, doc.line(), doc.column(), "apiVersion", apiVersion + " is not a version of "
                    + kind + "; use " + misversioned.group() + "/" + String.join(" or " + misversioned.group()
                    + "/", misversioned.versions()));
            return null;
        }
        if (known == null && Kinds.unknownInKnownGroup(apiVersion, kind)) {
            // The API server refuses such a document ("no matches for kind"); ignored, the typo would delete the
            // object it was meant to be.
            String closest = Kinds.closest(apiVersion, kind);
            sink.error(UNSUPPORTED_KIND, doc.line(), doc.column(), "kind", Kinds.group(apiVersion)
                    + " has no kind " + kind + (closest == null ? " (its kinds: " + String.join(", ",
                    Kinds.GROUP_KINDS.get(Kinds.group(apiVersion))) + ")" : "; did you mean " + closest + "?"));
            return null;
        }
        if (known == null) {
            sink.warning(UNSUPPORTED_KIND, doc.line(), doc.column(), "",
                    apiVersion + " " + kind + " is not supported by meshlog yet; it is ignored");
            return null;
        }
        top.raw("status"); // written by controllers, never read
        Fields spec = top.object("spec");
        if (spec == null) {
            sink.error(MISSING_FIELD, doc, "spec", "spec is required");
            top.end();
            return null;
        }
        sink.strict(known.security());
        MeshResource r = known.reader().read(meta == null ? new ObjectMeta("", null, null, null) : meta, spec);
        spec.end();
        top.end();
        sink.strict(false);
        return meta == null ? null : r;
    }

    private static ObjectMeta metadata(Fields top, DiagnosticSink sink) {
        Fields m = top.object("metadata");
        if (m == null) {
            top.errorHere(MISSING_FIELD, "metadata.name is required");
            return null;
        }
        m.notImplemented("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                "ownerReferences", "finalizers", "generateName", "deletionTimestamp", "selfLink");
        String name = m.string("name");
        ObjectMeta meta = new ObjectMeta(name == null ? "" : name, m.string("namespace"), m.stringMap("labels"),
                m.stringMap("annotations"));
        m.end();
        if (name == null || name.isEmpty()) {
            sink.error(MISSING_FIELD, m.node(), "metadata.name", "metadata.name is required");
            return null;
        }
        return meta;
    }

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by YamlTreeReader with a position instead
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(YamlTreeReader.MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(YamlTreeReader.MAX_DEPTH)
                        .build())
                .build();
        return f;
    }
}
