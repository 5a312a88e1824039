package meshlog.injector;

/**
 * A pod that selection says to inject but that cannot be: an annotation with a value meshlog cannot honour, a
 * name the sidecar needs already taken. The message names the annotation or field and the offending value; the
 * webhook refuses the pod with it, kube-inject prints it with the document's place.
 */
public final class InjectionException extends RuntimeException {

    public InjectionException(String message) {
        super(message);
    }
}
