package meshlog.caserver;

/** A caller that could not be authenticated; the message says why and never quotes a credential. */
final class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    AuthenticationException(String message) {
        super(message);
    }
}
