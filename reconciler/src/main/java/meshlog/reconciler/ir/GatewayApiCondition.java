package meshlog.reconciler.ir;

/**
 * One status condition of a Gateway API object, as the Gateway API specifies it ({@code Accepted},
 * {@code Programmed}, {@code ResolvedRefs}, with its reason). In Kubernetes a controller writes these to the
 * object's {@code status}; meshlog reads its config from git and has no API server to write to, so they are
 * computed with each commit's translation and shown where meshlog shows that ({@code /api/status},
 * {@code meshlog status}, the reconciler's log).
 *
 * @param resource the object, e.g. {@code HTTPRoute shop/web}
 * @param part what of it the condition is about: the Gateway ({@code ""}), {@code listeners[http]}, or a route's
 *     {@code parentRefs[0] Gateway istio-system/public}
 * @param type {@code Accepted}, {@code Programmed} or {@code ResolvedRefs}
 * @param status whether the condition holds
 * @param reason the Gateway API's reason, e.g. {@code NotAllowedByListeners}
 */
public record GatewayApiCondition(String resource, String part, String type, boolean status, String reason,
                                  String message) {

    @Override
    public String toString() {
        return resource + (part.isEmpty() ? "" : " " + part) + ": " + type + "=" + (status ? "True" : "False")
                + " (" + reason + ")" + (message.isEmpty() ? "" : ": " + message);
    }

    /** The condition as a translation note: what did not hold, and why. */
    public TranslationNote asNote() {
        return new TranslationNote(resource, "status " + (part.isEmpty() ? "" : part + " ") + type + "=False ("
                + reason + "): " + message);
    }
}
