package meshlog.xds.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaStreamTest {

    static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
    static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
    static final Node NODE = Node.newBuilder().setId("envoy-1").build();

    final DeltaStream stream = new DeltaStream(true);

    static Any content(String text) {
        return Any.pack(StringValue.of(text));
    }

    /** A response as java-control-plane makes it: its own per-resource versions. */
    static DeltaDiscoveryResponse response(String type, String version, String nonce, Map<String, String> contents,
                                           List<String> removed) {
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(type)
                .setSystemVersionInfo(version).setNonce(nonce).addAllRemovedResources(removed);
        contents.forEach((name, text) -> response.addResources(Resource.newBuilder().setName(name)
                .setVersion("jcp-" + text.hashCode()).setResource(content(text))));
        return response.build();
    }

    static DeltaDiscoveryRequest answer(String type, String nonce, String error) {
        DeltaDiscoveryRequest.Builder request =
                DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(nonce);
        if (error != null) {
            request.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
        }
        return request.build();
    }

    @Test
    void versionsEveryResourceByItsBytes() {
        DeltaDiscoveryResponse sent = stream.sent(response(EDS, "t1", "0", Map.of("a", "one"), List.of()));
        assertThat(sent.getResources(0).getVersion()).isEqualTo(DeltaStream.versionOf(content("one")))
                .hasSize(16).isNotEqualTo(DeltaStream.versionOf(content("two")));
    }

    @Test
    void anAckReportsTheTypeVersionOfTheResponseItNames() {
        stream.received(DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS).setNode(NODE).build());
        stream.sent(response(EDS, "t1", "0", Map.of("a", "one"), List.of()));
        ProxyStream.Outcome<DeltaDiscoveryRequest> ack = stream.received(answer(EDS, "0", null));
        assertThat(ack.event()).isEqualTo(new StreamEvent.Ack(EDS, "t1"));
        assertThat(ack.forward().getNode()).as("filled in").isEqualTo(NODE);
        assertThat(ack.node()).isEqualTo(NODE);
    }

    @Test
    void aNackIsForwardedAsAnAckAndTheTypeStaysRejectedUntilEveryRejectedResourceIsReplaced() {
        stream.sent(response(EDS, "t2", "1", Map.of("a", "bad", "b", "new"), List.of()));
        ProxyStream.Outcome<DeltaDiscoveryRequest> nack = stream.received(answer(EDS, "1", "port 0"));
        assertThat(nack.event()).isEqualTo(new StreamEvent.Nack(EDS, "t2", "port 0"));
        assertThat(nack.forward()).isEqualTo(answer(EDS, "1", null));

        stream.sent(response(EDS, "t3", "2", Map.of("b", "newer"), List.of()));
        ProxyStream.Outcome<DeltaDiscoveryRequest> partly = stream.received(answer(EDS, "2", null));
        assertThat(partly.event()).as("a is still the rejected one").isNull();

        stream.sent(response(EDS, "t4", "3", Map.of(), List.of("a")));
        assertThat(stream.received(answer(EDS, "3", null)).event()).isEqualTo(new StreamEvent.Ack(EDS, "t4"));
    }

    @Test
    void withoutTheHoldANackIsForwardedUnchanged() {
        DeltaStream unheld = new DeltaStream(false);
        unheld.sent(response(EDS, "t2", "1", Map.of("a", "bad"), List.of()));
        ProxyStream.Outcome<DeltaDiscoveryRequest> nack = unheld.received(answer(EDS, "1", "port 0"));
        assertThat(nack.event()).isEqualTo(new StreamEvent.Nack(EDS, "t2", "port 0"));
        assertThat(nack.forward()).isEqualTo(answer(EDS, "1", "port 0"));
    }

    @Test
    void aNonceNotAwaitingAnAnswerIsDropped() {
        stream.sent(response(EDS, "t1", "0", Map.of("a", "one"), List.of()));
        stream.received(answer(EDS, "0", null));
        ProxyStream.Outcome<DeltaDiscoveryRequest> again = stream.received(answer(EDS, "0", null));
        assertThat(again.event()).isNull();
        assertThat(again.forward().getResponseNonce()).isEmpty();
        assertThat(stream.received(answer(EDS, "7", "bad")).event()).isEqualTo(new StreamEvent.Nack(EDS, "", "bad"));
    }

    @Test
    void theFirstResponseLeavesOutWhatTheProxyHoldsAndRemovesWhatItHoldsThatIsGone() {
        String one = DeltaStream.versionOf(content("one"));
        stream.received(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS).setNode(NODE)
                .putAllInitialResourceVersions(Map.of("a", one, "b", "old", "gone", "x")).build());

        DeltaDiscoveryResponse first = stream.sent(response(CDS, "t1", "0", Map.of("a", "one", "b", "two"), List.of()));
        assertThat(first.getResourcesList()).extracting(Resource::getName).containsExactly("b");
        assertThat(first.getRemovedResourcesList()).containsExactly("gone");

        DeltaDiscoveryResponse later = stream.sent(response(CDS, "t2", "1", Map.of("a", "one"), List.of()));
        assertThat(later.getResourcesList()).as("only the first response is compared").hasSize(1);
        assertThat(later.getRemovedResourcesList()).isEmpty();
    }

    @Test
    void unsubscribingAClusterByNameIsNotForwardedButEndpointsAndTheWildcardAre() {
        DeltaDiscoveryRequest clusters = DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS)
                .addResourceNamesUnsubscribe("b").addResourceNamesUnsubscribe("*").build();
        assertThat(stream.received(clusters).forward().getResourceNamesUnsubscribeList()).containsExactly("*");
        DeltaDiscoveryRequest endpoints = DeltaDiscoveryRequest.newBuilder().setTypeUrl(EDS)
                .addResourceNamesUnsubscribe("b").build();
        assertThat(stream.received(endpoints).forward()).isEqualTo(endpoints);
    }
}
