package meshlog.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "..", ".", "a/b", "/abs", "../etc", "a..b", "East", "-east", "east-", "east.",
            "has space", "tab\t", "a\\b", "ünïcode"})
    void rejectsNamesThatAreNotDnsNames(String bad) {
        assertThatThrownBy(() -> Names.cluster(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster name \"" + bad + "\"");
        assertThatThrownBy(() -> Names.namespace(bad)).hasMessageContaining("namespace name \"" + bad + "\"");
        assertThatThrownBy(() -> Names.serviceAccount(bad))
                .hasMessageContaining("service account name \"" + bad + "\"");
    }

    @org.junit.jupiter.api.Test
    void rejectsNamesLongerThan253Characters() {
        assertThat(Names.cluster("x".repeat(253))).hasSize(253);
        assertThatThrownBy(() -> Names.cluster("x".repeat(254))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 253");
    }

    @ParameterizedTest
    @NullSource
    void rejectsNull(String none) {
        assertThatThrownBy(() -> Names.cluster(none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster name null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"east", "e", "0", "us-east-1", "istio-system", "bookinfo-productpage.v1"})
    void acceptsDnsNames(String good) {
        assertThat(Names.cluster(good)).isEqualTo(good);
        assertThat(Names.namespace(good)).isEqualTo(good);
        assertThat(Names.serviceAccount(good)).isEqualTo(good);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Cluster.local", "a/b", "spiffe://x", "a..b", "with space"})
    void rejectsBadTrustDomains(String bad) {
        assertThatThrownBy(() -> Names.trustDomain(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trust domain \"" + bad + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cluster.local", "prod.example.com", "my_domain-1"})
    void acceptsTrustDomains(String good) {
        assertThat(Names.trustDomain(good)).isEqualTo(good);
    }
}
