package meshlog.xdscheck;

import static meshlog.xdscheck.Xds.apiListener;
import static meshlog.xdscheck.Xds.chain;
import static meshlog.xdscheck.Xds.consistent;
import static meshlog.xdscheck.Xds.hcm;
import static meshlog.xdscheck.Xds.put;
import static meshlog.xdscheck.Xds.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per problem a listener can have, each with its exact message. */
class ListenerCheckTest {

    static List<String> problemsWith(Listener listener) {
        Map<String, Map<String, byte[]>> r = consistent();
        put(r, TypeUrls.LISTENER, listener.getName(), listener);
        return SnapshotCheck.problems(r);
    }

    static Listener socket(String name, FilterChain... chains) {
        return Listener.newBuilder().setName(name).addAllFilterChains(List.of(chains)).build();
    }

    static FilterChain sni(FilterChain chain, String... names) {
        return chain.toBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(List.of(names)))
                .build();
    }

    static Listener withInspector(Listener l) {
        return l.toBuilder().addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
                .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))).build();
    }

    @Test
    void aListenerWithoutApiListenerOrFilterChain() {
        assertThat(problemsWith(Listener.newBuilder().setName("l").build()))
                .containsExactly("listener l: has neither an api_listener nor a filter chain");
    }

    @Test
    void aMissingRouteConfigurationFromAnApiListenerAChainAndAConnectionManagerBeforeTheLast() {
        assertThat(problemsWith(apiListener("l", hcm("gone")))).containsExactly(
                "listener l: refers to route configuration \"gone\", which the snapshot does not hold");
        assertThat(problemsWith(socket("l", chain(hcm("gone"))))).containsExactly(
                "listener l filter_chains[0]: refers to route configuration \"gone\", which the snapshot does not hold");
        assertThat(problemsWith(socket("l", chain(hcm("gone"), tcp("c"))))).containsExactly(
                "listener l filter_chains[0] filters[0]: refers to route configuration \"gone\", which the snapshot "
                        + "does not hold");
    }

    @Test
    void aDefaultChainIsCheckedLikeTheOthers() {
        Listener l = Listener.newBuilder().setName("l").setDefaultFilterChain(chain(hcm("gone"))).build();

        assertThat(problemsWith(l)).containsExactly(
                "listener l default_filter_chain: refers to route configuration \"gone\", which the snapshot does not "
                        + "hold");
    }

    @Test
    void inlineRoutesAreCheckedAsRdsOnesAre() {
        HttpConnectionManager inline = hcm("").toBuilder().clearRds().setRouteConfig(Xds.routes("inbound|8080||",
                RouteAction.newBuilder().setCluster("inbound|8080||").build())).build();

        assertThat(problemsWith(socket("virtualInbound", chain(inline)))).containsExactly(
                "listener virtualInbound filter_chains[0] inline route configuration inbound|8080|| virtual host vh "
                        + "route[0]: refers to cluster \"inbound|8080||\", which the snapshot does not hold");
    }

    @Test
    void aConnectionManagerWithoutRoutes() {
        assertThat(problemsWith(apiListener("l", hcm("").toBuilder().clearRds().build()))).containsExactly(
                "listener l: takes its routes neither from RDS nor inline");
    }

    @Test
    void theLastHttpFilterMustBeTheRouter() {
        HttpConnectionManager faultLast = hcm("svc:80").toBuilder()
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.fault")).build();

        assertThat(problemsWith(apiListener("l", faultLast)))
                .containsExactly("listener l: the last HTTP filter must be the router");
        assertThat(problemsWith(apiListener("l", hcm("svc:80").toBuilder().clearHttpFilters().build())))
                .containsExactly("listener l: the last HTTP filter must be the router");
    }

    @Test
    void theLastNetworkFilterIsNeitherAConnectionManagerNorATcpProxy() {
        assertThat(problemsWith(apiListener("l", StringValue.of("x")))).containsExactly(
                "listener l: the last network filter is not an HttpConnectionManager or a tcp_proxy but "
                        + "type.googleapis.com/google.protobuf.StringValue");
        assertThat(problemsWith(socket("l", chain(StringValue.of("x"))))).containsExactly(
                "listener l filter_chains[0]: the last network filter is not an HttpConnectionManager or a tcp_proxy "
                        + "but type.googleapis.com/google.protobuf.StringValue");
    }

    @Test
    void aChainWithoutNetworkFilter() {
        assertThat(problemsWith(socket("l", chain()))).containsExactly("listener l filter_chains[0]: has no network filter");
    }

    @Test
    void aTcpProxyToAMissingClusterOrToNone() {
        assertThat(problemsWith(socket("l", chain(tcp("gone"))))).containsExactly(
                "listener l filter_chains[0]: refers to cluster \"gone\", which the snapshot does not hold");
        assertThat(problemsWith(socket("l", chain(tcp(""))))).containsExactly(
                "listener l filter_chains[0]: tcp_proxy names no cluster");
    }

    @Test
    void tcpProxyWeightsMustSumToOneToTheLargestUint32() {
        TcpProxy.WeightedCluster.Builder zero = TcpProxy.WeightedCluster.newBuilder()
                .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName("c").setWeight(0))
                .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName("gone").setWeight(0));
        TcpProxy.WeightedCluster.Builder over = TcpProxy.WeightedCluster.newBuilder()
                .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName("c").setWeight(-1))
                .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName("c").setWeight(1));

        assertThat(problemsWith(socket("l", chain(tcp("").toBuilder().setWeightedClusters(zero).build()))))
                .containsExactly(
                        "listener l filter_chains[0]: refers to cluster \"gone\", which the snapshot does not hold",
                        "listener l filter_chains[0]: tcp_proxy weighted cluster weights sum to 0; must be "
                                + "1..4294967295");
        assertThat(problemsWith(socket("l", chain(tcp("").toBuilder().setWeightedClusters(over).build()))))
                .containsExactly("listener l filter_chains[0]: tcp_proxy weighted cluster weights sum to 4294967296;"
                        + " must be 1..4294967295");
    }

    @Test
    void twoChainsWithTheSameMatchAsSets() {
        Listener l = withInspector(socket("l", sni(chain(tcp("c")), "a.example", "b.example"),
                sni(chain(tcp("c")), "b.example", "a.example"), sni(chain(tcp("c")), "a.example")));

        assertThat(problemsWith(l)).containsExactly("listener l filter_chains[1]: has the same filter_chain_match as"
                + " filter_chains[0] (Envoy refuses the listener)");
    }

    @Test
    void serverNamesNeedATlsInspector() {
        assertThat(problemsWith(socket("l", sni(chain(tcp("c")), "a.example")))).containsExactly(
                "listener l filter_chains[0]: matches server_names but the listener has no tls_inspector to read them");
        assertThat(problemsWith(withInspector(socket("l", sni(chain(tcp("c")), "a.example"))))).isEmpty();
    }
}
