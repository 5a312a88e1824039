package meshlog.gatewayapi.model;

/** Istio {@code Gateway}: the servers (ports, hosts, TLS) of a gateway proxy. Placeholder: the fields are being modelled. */
public record Gateway(ObjectMeta metadata) implements MeshResource {

    @Override
    public String kind() {
        return "Gateway";
    }
}
