package meshlog.xdscheck;

import static meshlog.xdscheck.Xds.apiListener;
import static meshlog.xdscheck.Xds.assignment;
import static meshlog.xdscheck.Xds.chain;
import static meshlog.xdscheck.Xds.consistent;
import static meshlog.xdscheck.Xds.eds;
import static meshlog.xdscheck.Xds.hcm;
import static meshlog.xdscheck.Xds.put;
import static meshlog.xdscheck.Xds.routes;
import static meshlog.xdscheck.Xds.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every problem of a whole snapshot reads like; the per-type checks have their own test classes. */
class SnapshotCheckTest {

    static final String TRUNCATED = "While parsing a protocol message, the input ended unexpectedly in the middle "
            + "of a field.  This could mean either that the input has been truncated or that an embedded message "
            + "misreported its own length.";

    @Test
    void aConsistentSnapshotHasNoProblemAndIsDecodedByStoredName() {
        SnapshotCheck.Result result = SnapshotCheck.check(consistent(), ResourceParser.PLAIN);

        assertThat(result.problems()).isEmpty();
        assertThat(result.consistent()).isTrue();
        assertThat(result.decoded().listeners()).containsOnlyKeys("svc:80");
        assertThat(result.decoded().routes()).containsOnlyKeys("svc:80");
        assertThat(result.decoded().clusters()).containsOnlyKeys("c");
        assertThat(result.decoded().endpoints().get("c").getClusterName()).isEqualTo("c");
    }

    @Test
    void aResourceThatDoesNotParseIsUnreadableWhateverItsType() {
        Map<String, Map<String, byte[]>> r = consistent();
        for (String type : TypeUrls.ALL) {
            r.get(type).put("x", new byte[] {0x0A, 0x7F, 0x01});
        }

        assertThat(SnapshotCheck.problems(r)).containsExactly(
                "listener x: unreadable: " + TRUNCATED,
                "route configuration x: unreadable: " + TRUNCATED,
                "cluster x: unreadable: " + TRUNCATED,
                "endpoint assignment x: unreadable: " + TRUNCATED);
    }

    @Test
    void aResourceStoredUnderAnotherNameIsReportedAndStillChecked() {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, TypeUrls.CLUSTER, "renamed", eds("c"));

        assertThat(SnapshotCheck.problems(r)).containsExactly(
                "cluster renamed: is stored under that name but named \"c\"",
                "cluster renamed: has no endpoint assignment \"renamed\" in the snapshot");
    }

    @Test
    void referencesAreCheckedAgainstStoredNamesSoAnUnreadableTargetIsNotAlsoMissing() {
        Map<String, Map<String, byte[]>> r = consistent();
        r.get(TypeUrls.ROUTE).put("svc:80", new byte[] {0x0A, 0x7F, 0x01});

        assertThat(SnapshotCheck.problems(r)).containsExactly("route configuration svc:80: unreadable: " + TRUNCATED);
    }

    @Test
    void anEmbeddedConfigThatDoesNotParseMakesItsListenerUnreadable() {
        Map<String, Map<String, byte[]>> r = consistent();
        Listener broken = apiListener("svc:80", hcm("svc:80")).toBuilder()
                .setApiListener(io.envoyproxy.envoy.config.listener.v3.ApiListener.newBuilder().setApiListener(
                        com.google.protobuf.Any.newBuilder().setTypeUrl("type.googleapis.com/" + hcm("")
                                .getDescriptorForType().getFullName()).setValue(com.google.protobuf.ByteString
                                .copyFrom(new byte[] {0x0A, 0x7F, 0x01})))).build();
        put(r, TypeUrls.LISTENER, "svc:80", broken);

        assertThat(SnapshotCheck.problems(r)).containsExactly("listener svc:80: unreadable: " + TRUNCATED);
    }

    @Test
    void otherTypesAreNotLookedAt() {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "default",
                Secret.newBuilder().setName("other").build());
        put(r, "type.googleapis.com/google.protobuf.StringValue", "x", StringValue.of("x"));

        assertThat(SnapshotCheck.problems(r)).isEmpty();
    }

    @Test
    void problemsComeByTypeThenName() {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, TypeUrls.ENDPOINT, "a", assignment("a", 1, 1));
        put(r, TypeUrls.CLUSTER, "b", eds("b"));
        put(r, TypeUrls.ROUTE, "b", routes("b", io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                .setCluster("gone").build()));
        put(r, TypeUrls.LISTENER, "b", chainListener("b", chain(tcp("gone"))));
        put(r, TypeUrls.LISTENER, "a", chainListener("a", chain(tcp("gone"))));

        assertThat(SnapshotCheck.problems(r)).containsExactly(
                "listener a filter_chains[0]: refers to cluster \"gone\", which the snapshot does not hold",
                "listener b filter_chains[0]: refers to cluster \"gone\", which the snapshot does not hold",
                "route configuration b virtual host vh route[0]: refers to cluster \"gone\", which the snapshot does "
                        + "not hold",
                "cluster b: has no endpoint assignment \"b\" in the snapshot",
                "endpoint assignment a: priorities [1] are not dense from 0");
    }

    @Test
    void theCallersParserDecodesEveryCheckedResourceOnce() {
        List<String> parsed = new ArrayList<>();
        ResourceParser counting = new ResourceParser() {
            @Override
            public <T extends Message> T parse(String typeUrl, byte[] bytes, Parser<T> parser)
                    throws InvalidProtocolBufferException {
                parsed.add(typeUrl);
                return parser.parseFrom(bytes);
            }
        };
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, "type.googleapis.com/google.protobuf.StringValue", "x", StringValue.of("x"));

        SnapshotCheck.check(r, counting);

        assertThat(parsed).containsExactly(TypeUrls.LISTENER, TypeUrls.ROUTE, TypeUrls.CLUSTER, TypeUrls.ENDPOINT);
    }

    static Listener chainListener(String name, io.envoyproxy.envoy.config.listener.v3.FilterChain chain) {
        return Listener.newBuilder().setName(name).addFilterChains(chain).build();
    }
}
