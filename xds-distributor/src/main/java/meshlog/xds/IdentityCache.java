package meshlog.xds;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import meshlog.xds.proxy.ProxyGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workload identity per proxy group, issued on first use and reused until its {@link Identity#renewAt()}.
 * A failed issuance keeps the previous identity (if any) and is retried on the next push.
 */
final class IdentityCache {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityCache.class);

    private final IdentityIssuer issuer;
    private final Clock clock;
    private final Map<ProxyGroup, Identity> issued = new HashMap<>();
    private String trustBundle;

    IdentityCache(IdentityIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /** Whether {@code group} has no identity yet or is past its renewal time. */
    /** Forgets a group's certificate (and key): nobody of it is connected any more. */
    synchronized void forget(ProxyGroup group) {
        issued.remove(group);
    }

    synchronized boolean due(ProxyGroup group) {
        Identity identity = issued.get(group);
        return identity == null || !clock.instant().isBefore(identity.renewAt());
    }

    /** The group's identity, issuing a new one when {@link #due}; empty only if none could ever be issued. */
    synchronized Optional<Identity> identity(ProxyGroup group) {
        if (due(group)) {
            try {
                Identity fresh = issuer.issue(group.cluster(), group.namespace(), group.serviceAccount());
                issued.put(group, fresh);
                LOG.info("issued identity group={} renewAt={}", group, fresh.renewAt());
            } catch (RuntimeException e) {
                LOG.error("cannot issue identity group={}; keeping the previous one, if any", group, e);
            }
        }
        return Optional.ofNullable(issued.get(group));
    }

    /** The trust bundle, fetched on every push so a rotated root reaches proxies; the last good one on failure. */
    synchronized String trustBundle() {
        try {
            trustBundle = issuer.trustBundlePem();
        } catch (RuntimeException e) {
            LOG.error("cannot read the trust bundle; keeping the previous one", e);
        }
        return trustBundle == null ? "" : trustBundle;
    }
}
