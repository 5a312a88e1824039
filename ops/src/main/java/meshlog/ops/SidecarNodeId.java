package meshlog.ops;

import meshlog.configstore.LogSafe;

/**
 * An istio-proxy node id, {@code <type>~<ip>~<pod>.<namespace>~<namespace>.svc.cluster.local}, read for the commands
 * that act for a proxy ({@code bootstrap}, {@code proxy-config}).
 *
 * @param type {@code sidecar} or {@code router}
 */
record SidecarNodeId(String type, String ip, String pod, String namespace) {

    /** @throws Flags.UsageException when {@code id} is not of that shape */
    static SidecarNodeId parse(String id) {
        String[] parts = id.split("~", -1);
        if (parts.length != 4 || !(parts[0].equals("sidecar") || parts[0].equals("router"))) {
            throw new Flags.UsageException("--node-id must look like sidecar~<ip>~<pod>.<namespace>~<namespace>"
                    + ".svc.cluster.local (or router~...), got \"" + LogSafe.value(id) + "\"");
        }
        int dot = parts[3].indexOf('.');
        String namespace = dot < 0 ? parts[3] : parts[3].substring(0, dot);
        if (namespace.isEmpty()) {
            throw new Flags.UsageException("--node-id names no namespace: \"" + LogSafe.value(id) + "\"");
        }
        int podDot = parts[2].indexOf('.');
        return new SidecarNodeId(parts[0], parts[1], podDot < 0 ? parts[2] : parts[2].substring(0, podDot),
                namespace);
    }
}
