package meshlog.reconciler.ir;

import java.util.List;

/** What a request or connection is for, as one of Envoy's RBAC permissions: a tree of conditions. */
public sealed interface RbacPermissionIr {

    /** Every request. */
    record Any() implements RbacPermissionIr {
    }

    /** All of {@code rules}. */
    record And(List<RbacPermissionIr> rules) implements RbacPermissionIr {
        public And {
            rules = List.copyOf(rules);
        }
    }

    /** One of {@code rules}. */
    record Or(List<RbacPermissionIr> rules) implements RbacPermissionIr {
        public Or {
            rules = List.copyOf(rules);
        }
    }

    /** Not {@code rule}. */
    record Not(RbacPermissionIr rule) implements RbacPermissionIr {
    }

    /** A request header or pseudo-header ({@code :method}, {@code :authority}). */
    record Header(String name, RbacMatchIr match) implements RbacPermissionIr {
    }

    /** The request's path without its query. */
    record UrlPath(RbacMatchIr match) implements RbacPermissionIr {
    }

    /** The path against a URI template ({@code /a/{*}/b}: {@code {*}} one segment; {@code /a/{**}}: any rest). */
    record UriTemplate(String template) implements RbacPermissionIr {
    }

    /** The port the connection was made to. */
    record DestinationPort(int port) implements RbacPermissionIr {
    }

    /** The address the connection was made to, in a CIDR block. */
    record DestinationIp(String address, int prefixLen) implements RbacPermissionIr {
    }

    /** The TLS server name the client asked for. */
    record ServerName(RbacMatchIr match) implements RbacPermissionIr {
    }

    Any ANY = new Any();
}
