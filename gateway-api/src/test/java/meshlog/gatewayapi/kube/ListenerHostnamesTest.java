package meshlog.gatewayapi.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerHostnamesTest {

    @Test
    void aListenerWithoutHostnameTakesTheRoutesNames() {
        assertThat(ListenerHostnames.intersect(null, List.of("a.example.com", "b.example.com")))
                .containsExactly("a.example.com", "b.example.com");
        assertThat(ListenerHostnames.intersect(null, List.of())).containsExactly("*");
    }

    @Test
    void aRouteWithoutHostnamesTakesTheListeners() {
        assertThat(ListenerHostnames.intersect("*.example.com", List.of())).containsExactly("*.example.com");
    }

    @Test
    void aWildcardListenerCoversNamesOfOneOrMoreLabelsButNotItsSuffix() {
        assertThat(ListenerHostnames.intersect("*.example.com",
                List.of("a.example.com", "a.b.example.com", "example.com", "a.example.org")))
                .containsExactly("a.example.com", "a.b.example.com");
    }

    @Test
    void theMoreSpecificOfTwoNamesIsServed() {
        assertThat(ListenerHostnames.intersect("foo.example.com", List.of("*.example.com")))
                .containsExactly("foo.example.com");
        assertThat(ListenerHostnames.intersect("*.example.com", List.of("*.foo.example.com")))
                .containsExactly("*.foo.example.com");
    }

    @Test
    void noCommonNameMeansTheRouteDoesNotAttach() {
        assertThat(ListenerHostnames.intersect("foo.example.com", List.of("bar.example.com"))).isEmpty();
    }
}
