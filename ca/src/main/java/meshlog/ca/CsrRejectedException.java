package meshlog.ca;

/**
 * A certificate signing request the CA will not sign: malformed, badly signed, an unsupported key, or a validity
 * longer than allowed. The message says which and what is accepted; it never quotes the request's bytes.
 */
public final class CsrRejectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CsrRejectedException(String message) {
        super(message);
    }
}
