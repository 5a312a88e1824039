package meshlog.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import meshlog.injector.InjectionException;
import meshlog.injector.IptablesRules;
import meshlog.injector.TrafficCapture;

/**
 * {@code meshlog iptables [--include-outbound-ip-ranges=...] ... [--dry-run]}: what the injected istio-init
 * container runs. It writes istio-init's nat rules through {@code iptables-restore --noflush} (which must be in
 * the image) and prints them; {@code --dry-run} only prints them.
 */
final class IptablesCommand {

    private IptablesCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Set<String> known = new HashSet<>();
        TrafficCapture.NAMES.forEach(n -> known.add(TrafficCapture.flagName(n)));
        Flags f = Flags.parse(args, known, Set.of("dry-run"));
        if (!f.positional().isEmpty()) {
            throw new Flags.UsageException("unexpected argument " + f.positional().get(0));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : TrafficCapture.NAMES) {
            if (f.has(TrafficCapture.flagName(name))) {
                values.put(name, f.get(TrafficCapture.flagName(name), ""));
            }
        }
        String rules;
        try {
            rules = IptablesRules.render(TrafficCapture.of(values, "flag --"));
        } catch (InjectionException e) {
            throw new Flags.UsageException(e.getMessage());
        }
        out.print(rules);
        out.flush();
        if (f.bool("dry-run")) {
            return 0;
        }
        Process p = new ProcessBuilder("iptables-restore", "--noflush").redirectErrorStream(true).start();
        p.getOutputStream().write(rules.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            err.println("meshlog iptables: iptables-restore did not finish in 30 s");
            return 2;
        }
        if (p.exitValue() != 0) {
            err.println("meshlog iptables: iptables-restore failed (" + p.exitValue() + "): " + said.strip());
            return 2;
        }
        return 0;
    }
}
