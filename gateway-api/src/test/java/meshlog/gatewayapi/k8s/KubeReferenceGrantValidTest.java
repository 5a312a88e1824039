package meshlog.gatewayapi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import meshlog.gatewayapi.model.KubeReferenceGrant;
import meshlog.gatewayapi.model.KubeReferenceGrant.From;
import meshlog.gatewayapi.model.KubeReferenceGrant.To;
import org.junit.jupiter.api.Test;

/** A ReferenceGrant using every field is accepted, reads as written, and answers what it allows. */
class KubeReferenceGrantValidTest {

    static final String GRANT = """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: allow-routes, namespace: backends}
            spec:
              from:
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}
              - {group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}
              to:
              - {group: "", kind: Service}
              - {group: "", kind: Secret, name: shop-cert}
            """;

    @Test
    void everyFieldReadsAsWritten() {
        KubeReferenceGrant grant = KubeYaml.readClean(GRANT, KubeReferenceGrant.class);

        assertThat(grant.from()).containsExactly(new From("gateway.networking.k8s.io", "HTTPRoute", "web"),
                new From("gateway.networking.k8s.io", "Gateway", "infra"));
        assertThat(grant.to()).containsExactly(new To("", "Service", null), new To("", "Secret", "shop-cert"));
    }

    @Test
    void allowsOnlyWhatItNames() {
        KubeReferenceGrant grant = KubeYaml.readClean(GRANT, KubeReferenceGrant.class);
        String gw = "gateway.networking.k8s.io";

        assertThat(grant.allows(gw, "HTTPRoute", "web", "", "Service", "anything")).isTrue();
        assertThat(grant.allows(gw, "HTTPRoute", "other", "", "Service", "anything")).isFalse();
        assertThat(grant.allows(gw, "GRPCRoute", "web", "", "Service", "anything")).isFalse();
        assertThat(grant.allows(gw, "Gateway", "infra", "", "Secret", "shop-cert")).isTrue();
        assertThat(grant.allows(gw, "Gateway", "infra", "", "Secret", "other-cert")).isFalse();
    }

    @Test
    void theV1VersionIsAcceptedToo() {
        KubeReferenceGrant grant = KubeYaml.readClean(GRANT.replace("v1beta1", "v1"), KubeReferenceGrant.class);

        assertThat(grant.to()).hasSize(2);
    }
}
