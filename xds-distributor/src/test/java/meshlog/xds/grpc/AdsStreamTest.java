package meshlog.xds.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.junit.jupiter.api.Test;

class AdsStreamTest {

    static final String RDS = Resources.V3.ROUTE_TYPE_URL;
    static final Node NODE = Node.newBuilder().setId("proxy-1").build();

    final AdsStream stream = new AdsStream(true);

    static DiscoveryRequest request(String version, String nonce, String error) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
                .setTypeUrl(RDS).addResourceNames("r").setVersionInfo(version).setResponseNonce(nonce);
        if (error != null) {
            request.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
        }
        return request.build();
    }

    static DiscoveryResponse response(String version, String nonce) {
        return DiscoveryResponse.newBuilder().setTypeUrl(RDS).setVersionInfo(version).setNonce(nonce).build();
    }

    @Test
    void aFirstRequestIsNeitherAckNorNack() {
        var outcome = stream.received(request("", "", null).toBuilder().setNode(NODE).build());
        assertThat(outcome.event()).isNull();
        assertThat(outcome.forward().getNode()).isEqualTo(NODE);
    }

    @Test
    void anAckNamesTheVersionTheProxyNowHas() {
        stream.sent(response("v1", "0"));
        var outcome = stream.received(request("v1", "0", null));
        assertThat(outcome.event()).isEqualTo(new StreamEvent.Ack(RDS, "v1"));
        assertThat(outcome.forward()).isEqualTo(request("v1", "0", null));
    }

    @Test
    void subscribingAgainToADroppedResourceAsksTheCacheForAFreshAnswer() {
        stream.received(request("", "", null));
        stream.sent(response("v1", "0"));
        stream.received(request("v1", "0", null).toBuilder().clearResourceNames().addResourceNames("b").build());

        var again = stream.received(request("v1", "0", null).toBuilder().addResourceNames("b").build());

        assertThat(again.event()).isEqualTo(new StreamEvent.Ack(RDS, "v1"));
        assertThat(again.forward().getVersionInfo()).as("no version: the cache must resend").isEmpty();
        assertThat(again.forward().getResourceNamesList()).containsExactly("r", "b");
        var same = stream.received(request("v1", "0", null).toBuilder().addResourceNames("b").build());
        assertThat(same.forward().getVersionInfo()).as("nothing new: an ordinary ACK").isEqualTo("v1");
    }

    @Test
    void aNewSubscriptionDuringAHoldIsAnsweredAndAnEmptyListIsNoNewSubscription() {
        stream.received(request("", "", null));
        stream.sent(response("v1", "0"));
        stream.received(request("v1", "0", null));
        stream.sent(response("v2", "1"));
        stream.received(request("v1", "1", "bad weights")); // v2 held

        var more = stream.received(request("v1", "1", null).toBuilder().addResourceNames("b").build());
        assertThat(more.forward().getVersionInfo()).as("answered now, even though v2 is held").isEmpty();

        var none = stream.received(request("v1", "1", null).toBuilder().clearResourceNames().build());
        assertThat(none.forward().getVersionInfo()).as("unsubscribing everything asks for nothing").isEqualTo("v2");
    }

    @Test
    void aNackOfTheLatestResponseIsForwardedAsIfThatVersionWereAccepted() {
        stream.sent(response("v1", "0"));
        stream.received(request("v1", "0", null));
        stream.sent(response("v2", "1"));

        var nack = stream.received(request("v1", "1", "bad weights"));

        assertThat(nack.event()).isEqualTo(new StreamEvent.Nack(RDS, "v2", "bad weights"));
        assertThat(nack.forward().getVersionInfo()).isEqualTo("v2");
        assertThat(nack.forward().hasErrorDetail()).isFalse();
        // A later request on the same nonce (new subscriptions) stays held and is no ACK of v1.
        var resubscribe = stream.received(request("v1", "1", null));
        assertThat(resubscribe.event()).isNull();
        assertThat(resubscribe.forward().getVersionInfo()).isEqualTo("v2");
        // A new version ends the hold.
        stream.sent(response("v3", "2"));
        assertThat(stream.received(request("v3", "2", null)).event()).isEqualTo(new StreamEvent.Ack(RDS, "v3"));
    }

    @Test
    void aLateNackIsReportedButNotHeld() {
        stream.sent(response("v2", "1"));
        stream.sent(response("v3", "2"));
        var late = stream.received(request("v1", "1", "bad"));
        assertThat(late.event()).isEqualTo(new StreamEvent.Nack(RDS, "v2", "bad"));
        assertThat(late.forward()).isEqualTo(request("v1", "1", "bad"));
    }

    @Test
    void withoutTheHoldANackIsForwardedUnchanged() {
        AdsStream unheld = new AdsStream(false);
        unheld.sent(response("v2", "1"));
        var nack = unheld.received(request("v1", "1", "bad"));
        assertThat(nack.event()).isEqualTo(new StreamEvent.Nack(RDS, "v2", "bad"));
        assertThat(nack.forward()).isEqualTo(request("v1", "1", "bad"));
    }

    @Test
    void fillsInTheNodeOfProxiesThatSendItOnce() {
        stream.received(request("", "", null).toBuilder().setNode(NODE).build());
        assertThat(stream.received(request("", "", null)).forward().getNode()).isEqualTo(NODE);
    }

    @Test
    void aNackOfAnUnknownNonceHasNoVersion() {
        assertThat(stream.received(request("", "7", "bad")).event()).isEqualTo(new StreamEvent.Nack(RDS, "", "bad"));
    }
}
