package meshlog.reconciler.ir;

/**
 * A condition on one string of a request or connection (a header, the path, the SNI, the peer's SPIFFE ID), as
 * Envoy's RBAC matches it: equal, starting or ending with {@code value}, fully matching an RE2 expression, or only
 * present.
 *
 * @param ignoreCase compare without case (Istio's host matches)
 */
public record RbacMatchIr(Kind kind, String value, boolean ignoreCase) {

    public enum Kind { EXACT, PREFIX, SUFFIX, REGEX, PRESENT }

    /** Present, whatever its value. */
    public static final RbacMatchIr PRESENT = new RbacMatchIr(Kind.PRESENT, "", false);
    private static final String RE2_SPECIAL = "\\.+*?()|[]{}^$";

    public static RbacMatchIr exact(String value) {
        return new RbacMatchIr(Kind.EXACT, value, false);
    }

    public static RbacMatchIr prefix(String value) {
        return new RbacMatchIr(Kind.PREFIX, value, false);
    }

    public static RbacMatchIr suffix(String value) {
        return new RbacMatchIr(Kind.SUFFIX, value, false);
    }

    public static RbacMatchIr regex(String value) {
        return new RbacMatchIr(Kind.REGEX, value, false);
    }

    /** {@code literal} as an RE2 expression that matches exactly it. */
    public static String quote(String literal) {
        StringBuilder sb = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if (RE2_SPECIAL.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** The same match without case. */
    public RbacMatchIr ignoringCase() {
        return new RbacMatchIr(kind, value, true);
    }
}
