package meshlog.gatewayapi.coverage;

/** Whether one proxy kind is given a field's meaning. */
public enum Applied {
    /** Translated into that proxy kind's config, and the proxy acts on it as Istio's does. */
    YES,
    /** Not translated, or translated but ignored by that proxy kind (grpc-java ignores a rewrite). */
    NO,
    /**
     * Nothing to apply yet: Istio's proxies differ on it only in what meshlog serves no proxy at all (mTLS,
     * telemetry), or meshlog reads it for validation only. Never warned about.
     */
    MOOT
}
