package meshlog.ops;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code meshlog git-sync|reconciler|distributor|discovery|injector}: one component as its own process, against
 * {@code --kafka} (the injector reads no log and takes none).
 */
final class ComponentCommand {

    /** Default admin ports: free of istiod's (15010-15014, 15017) and the sidecar's (15000-15090) well-known ports. */
    static final int GIT_SYNC_ADMIN = 15018;
    static final int RECONCILER_ADMIN = 15019;
    static final int DISTRIBUTOR_ADMIN = 15015;
    static final int DISCOVERY_ADMIN = 15016;
    /** The injector's admin port; its webhook is on 15017, as istiod's. */
    static final int INJECTOR_ADMIN = 15022;

    private ComponentCommand() {
    }

    static int run(String command, List<String> args, PrintStream err) {
        Flags f = flags(command, args);
        ComponentOptions o = options(command, f);
        return ComponentProcess.runUntilStopped(starter(command, f, o), o, err);
    }

    /** The component process {@code run} would run, started and returned (for tests: the same path as the CLI's). */
    static ComponentProcess start(String command, List<String> args) {
        Flags f = flags(command, args);
        ComponentOptions o = options(command, f);
        return ComponentProcess.start(starter(command, f, o), o);
    }

    private static ComponentOptions options(String command, Flags f) {
        return ComponentOptions.parse(f, command, switch (command) {
            case "git-sync" -> GIT_SYNC_ADMIN;
            case "reconciler" -> RECONCILER_ADMIN;
            case "discovery" -> DISCOVERY_ADMIN;
            case "injector" -> INJECTOR_ADMIN;
            default -> DISTRIBUTOR_ADMIN;
        });
    }

    /** What starts the component, with every flag checked before anything starts. */
    private static Supplier<Component> starter(String command, Flags f, ComponentOptions o) {
        switch (command) {
            case "git-sync": {
                GitSyncComponent.Options g = GitSyncComponent.Options.parse(f);
                return () -> GitSyncComponent.start(o.kafka(), o.dataDir(), g);
            }
            case "reconciler": {
                List<String> clusters = ReconcilerComponent.clusters(f);
                return () -> ReconcilerComponent.start(o.kafka(), clusters);
            }
            case "distributor": {
                DistributorComponent.Options d = DistributorComponent.Options.parse(f, o.dataDir());
                return () -> DistributorComponent.start(o.kafka(), o.bind(), d);
            }
            case "discovery": {
                meshlog.discovery.k8s.ClusterDiscovery.Options d = DiscoveryComponent.options(f);
                var trust = DiscoveryComponent.trust(f, d);
                return () -> DiscoveryComponent.start(o.kafka(), d, trust);
            }
            case "injector": {
                InjectorComponent.Options i = InjectorComponent.Options.parse(f, o.dataDir());
                return () -> InjectorComponent.start(o.bind(), i);
            }
            default:
                throw new Flags.UsageException("unknown component " + command);
        }
    }

    private static Flags flags(String command, List<String> args) {
        return Flags.parse(args, flagsOf(command), booleansOf(command));
    }

    /** The flags with a value {@code command} takes, its own and every component's. */
    static java.util.Set<String> flagsOf(String command) {
        return ComponentOptions.with(switch (command) {
            case "git-sync" -> GitSyncComponent.FLAGS;
            case "reconciler" -> ReconcilerComponent.FLAGS;
            case "distributor" -> DistributorComponent.FLAGS;
            case "discovery" -> DiscoveryComponent.FLAGS;
            case "injector" -> InjectorComponent.FLAGS;
            default -> throw new Flags.UsageException("unknown component " + command);
        });
    }

    /** Its flags without a value. */
    static java.util.Set<String> booleansOf(String command) {
        return command.equals("git-sync") ? GitSyncComponent.BOOLEANS
                : command.equals("distributor") ? DistributorComponent.BOOLEANS : java.util.Set.of();
    }
}
