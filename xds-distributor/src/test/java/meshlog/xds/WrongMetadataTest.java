package meshlog.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import meshlog.configstore.status.ProxyStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Node metadata meshlog reads, given with the wrong JSON type, is refused with INVALID_ARGUMENT on both ADS
 * flavours, instead of being read as missing (a {@code NAMESPACE: 7} used to make the proxy {@code default}'s);
 * and values from the client never break a status description (or the log line made of it) into two lines.
 */
class WrongMetadataTest {

    XdsDistributor east;
    final List<ProxyStatus> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        east = XdsDistributor.start("east", "127.0.0.1", 0, new TestCa(Clock.systemUTC()), published::add);
    }

    @AfterEach
    void stop() {
        east.close();
    }

    static Value text(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    static Value number(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    static Value struct(Map<String, Value> fields) {
        return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
    }

    static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("NAMESPACE", number(7), "NAMESPACE must be a string, got a number"),
                Arguments.of("NAMESPACE", struct(Map.of("name", text("ns1"))), "NAMESPACE must be a string, got a struct"),
                Arguments.of("NAMESPACE", NULL, "NAMESPACE must be a string, got null"),
                Arguments.of("SERVICE_ACCOUNT", Value.newBuilder().setBoolValue(true).build(),
                        "SERVICE_ACCOUNT must be a string, got a boolean"),
                Arguments.of("CLUSTER_ID", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(text("east")))
                        .build(), "CLUSTER_ID must be a string, got a list"),
                Arguments.of("GENERATOR", number(1), "GENERATOR must be a string, got a number"),
                Arguments.of("INTERCEPTION_MODE", NULL, "INTERCEPTION_MODE must be a string, got null"),
                Arguments.of("LABELS", text("app=web"), "LABELS must be a struct of strings, got a string"),
                Arguments.of("LABELS", struct(Map.of("version", number(2))), "LABELS.version must be a string, got a"
                        + " number"));
    }

    static Node node(String key, Value value) {
        Struct.Builder metadata = Struct.newBuilder().putFields("CLUSTER_ID", text("east"))
                .putFields("NAMESPACE", text("ns1")).putFields("SERVICE_ACCOUNT", text("sa1"));
        metadata.putFields(key, value);
        return Node.newBuilder().setId("typed-wrong").setMetadata(metadata).build();
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void aWrongTypeIsRefusedWithInvalidArgument(String key, Value value, String message) throws Exception {
        String expected = "proxy 'typed-wrong': node metadata " + message;
        try (RawAds ads = new RawAds(east.address(), node(key, value))) {
            ads.request(Resources.V3.SECRET_TYPE_URL, List.of("default"), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).isEqualTo(expected);
            assertThat(ads.next(Duration.ZERO)).as("no certificate was served").isNull();
        }
        try (RawDeltaAds ads = new RawDeltaAds(east.address(), node(key, value))) {
            ads.subscribe(Resources.V3.SECRET_TYPE_URL, List.of("default"), Map.of());
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).isEqualTo(expected);
        }
        assertThat(east.proxies()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aNewlineInANodeIdOrClusterNeverStartsALine() throws Exception {
        String forged = "p\n21:00:00.000 [main] INFO meshlog.up - commit applied cafebabe author=\"FORGED\"";
        try (RawAds ads = new RawAds(east.address(), RawAds.node(forged, Map.of("CLUSTER_ID", "west\r\nINFO x")))) {
            ads.request(Resources.V3.LISTENER_TYPE_URL, List.of(), "", "");
            Status status = ads.awaitClose(Duration.ofSeconds(5));
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).doesNotContain("\n", "\r").isEqualTo("this xDS distributor serves"
                    + " cluster 'east'; proxy 'p\\n21:00:00.000 [main] INFO meshlog.up - commit applied cafebabe"
                    + " author=\\\"FORGED\\\"' claimed cluster 'west\\r\\nINFO x'");
        }
    }
}
