package meshlog.discovery.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import meshlog.configstore.LogSafe;

/** The one way meshlog connects to an API server: a kubeconfig, short timeouts, watches that reconnect forever. */
public final class KubeClients {

    private KubeClients() {
    }

    /** @throws IllegalArgumentException if the kubeconfig cannot be read */
    public static KubernetesClient fromKubeconfig(Path kubeconfig) {
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("kubeconfig " + LogSafe.value(kubeconfig) + " cannot be read");
        }
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(10_000);
        config.setWatchReconnectInterval(1_000);
        config.setWatchReconnectLimit(-1);
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }
}
