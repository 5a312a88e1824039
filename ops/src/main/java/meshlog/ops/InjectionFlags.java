package meshlog.ops;

import java.util.Set;
import meshlog.configstore.LogSafe;
import meshlog.injector.InjectionSettings;

/**
 * The flags {@code meshlog injector} and {@code meshlog kube-inject} share: what the injected sidecar is told
 * ({@code --cluster} required, {@code --image}, {@code --xds-address}, {@code --ca-address}).
 */
final class InjectionFlags {

    static final Set<String> FLAGS = Set.of("cluster", "image", "xds-address", "ca-address");

    private InjectionFlags() {
    }

    static InjectionSettings parse(Flags f) {
        String cluster = DistributorComponent.cluster(f);
        return new InjectionSettings(cluster, image(f.get("image", InjectionSettings.DEFAULT_IMAGE)),
                address(f, "xds-address", InjectionSettings.DEFAULT_XDS_ADDRESS),
                address(f, "ca-address", InjectionSettings.DEFAULT_CA_ADDRESS));
    }

    private static String image(String image) {
        // An image reference: registry/path:tag@digest characters, nothing a shell or YAML would read differently.
        if (!image.matches("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}")) {
            throw new Flags.UsageException("--image must be an image reference like ghcr.io/org/meshlog-sidecar:0.1.0,"
                    + " got \"" + LogSafe.value(image) + "\"");
        }
        return image;
    }

    private static String address(Flags f, String name, String dflt) {
        String v = f.get(name, dflt);
        if (!v.matches("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}")) {
            throw new Flags.UsageException("--" + name + " must be HOST:PORT, got \"" + LogSafe.value(v) + "\"");
        }
        return v;
    }
}
