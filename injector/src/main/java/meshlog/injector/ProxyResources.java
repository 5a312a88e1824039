package meshlog.injector;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import meshlog.configstore.LogSafe;

/**
 * The proxy's requests and limits from {@code sidecar.istio.io/proxyCPU}, {@code proxyMemory},
 * {@code proxyCPULimit} and {@code proxyMemoryLimit}; each one not given takes Istio's default (requests 100m CPU,
 * 128Mi memory; limits 2000m, 1024Mi). The values are checked here, so a typo refuses the pod with the annotation's
 * name rather than with the API server's message about a container the user never wrote.
 */
final class ProxyResources {

    static final String PREFIX = "sidecar.istio.io/";
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");

    private ProxyResources() {
    }

    static ResourceRequirements of(Map<String, String> annotations) {
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        Quantity cpu = quantity(a, "proxyCPU", "100m");
        Quantity memory = quantity(a, "proxyMemory", "128Mi");
        Quantity cpuLimit = quantity(a, "proxyCPULimit", "2000m");
        Quantity memoryLimit = quantity(a, "proxyMemoryLimit", "1024Mi");
        atMost(cpu, cpuLimit, "proxyCPU", "proxyCPULimit");
        atMost(memory, memoryLimit, "proxyMemory", "proxyMemoryLimit");
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", cpu);
        requests.put("memory", memory);
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("cpu", cpuLimit);
        limits.put("memory", memoryLimit);
        ResourceRequirements r = new ResourceRequirements();
        r.setRequests(requests);
        r.setLimits(limits);
        return r;
    }

    private static Quantity quantity(Map<String, String> a, String name, String dflt) {
        String v = a.getOrDefault(PREFIX + name, dflt).strip();
        if (!QUANTITY.matcher(v).matches()) {
            throw new InjectionException("annotation " + PREFIX + name + ": \"" + LogSafe.value(v, 64)
                    + "\" is not a Kubernetes quantity (like 100m, 0.5, 128Mi, 1Gi)");
        }
        return new Quantity(v);
    }

    private static void atMost(Quantity request, Quantity limit, String requestName, String limitName) {
        BigDecimal r = request.getNumericalAmount();
        BigDecimal l = limit.getNumericalAmount();
        if (r.compareTo(l) > 0) {
            throw new InjectionException("annotation " + PREFIX + requestName + " (" + request + ") is greater than "
                    + PREFIX + limitName + " (" + limit + ")");
        }
    }
}
