package meshlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import meshlog.discovery.kube.KubeServicePort;
import meshlog.gatewayapi.validate.ListenerChecks.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Istio's ConvertProtocol, row by row (istio.io "Protocol Selection", pkg/config/kube/conversion.go). */
class PortProtocolsTest {

    @ParameterizedTest(name = "{0} port {1} {2} appProtocol={3} -> {4}")
    @CsvSource(nullValues = "null", value = {
            // name,     port,  protocol, appProtocol,         expected
            "http,       80,    TCP,      null,                HTTP",
            "http-web,   80,    TCP,      null,                HTTP",
            "HTTP2-x,    80,    TCP,      null,                HTTP2",
            "grpc,       9090,  TCP,      null,                GRPC",
            "grpc-web,   9090,  TCP,      null,                GRPC_WEB",
            "grpc-web-x, 9090,  TCP,      null,                GRPC_WEB",
            "https,      443,   TCP,      null,                HTTPS",
            "tls-sni,    443,   TCP,      null,                TLS",
            "tcp-db,     5432,  TCP,      null,                TCP",
            "mongo,      27017, TCP,      null,                MONGO",
            "redis,      6379,  TCP,      null,                REDIS",
            "mysql,      3306,  TCP,      null,                MYSQL",
            "web,        8080,  TCP,      null,                UNSUPPORTED",
            "'',         8080,  TCP,      null,                UNSUPPORTED",
            // appProtocol wins over the name, and Kubernetes' own names map to Istio's
            "tcp,        8080,  TCP,      http,                HTTP",
            "http,       8080,  TCP,      kubernetes.io/h2c,   HTTP2",
            "web,        8080,  TCP,      kubernetes.io/ws,    HTTP",
            "web,        8443,  TCP,      kubernetes.io/wss,   HTTPS",
            "http,       8080,  TCP,      mycompany.com/proto, UNSUPPORTED",
            // UDP whatever the name; server-first ports are TCP when nothing else says
            "http,       53,    UDP,      null,                UDP",
            "dns,        53,    TCP,      null,                TCP",
            "smtp,       25,    TCP,      null,                TCP",
            "db,         3306,  TCP,      null,                TCP",
            "db,         27017, TCP,      null,                TCP",
            "http,       3306,  TCP,      null,                HTTP",
    })
    void readsAPortAsIstioDoes(String name, int port, String protocol, String appProtocol, Protocol expected) {
        assertThat(PortProtocols.of(new KubeServicePort(name, port, protocol, appProtocol, ""))).isEqualTo(expected);
    }
}
