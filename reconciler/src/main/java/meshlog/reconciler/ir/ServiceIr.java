package meshlog.reconciler.ir;

import java.util.List;

/**
 * One port of one service host, with the workloads behind it.
 *
 * @param origin the config object that declared it, e.g. {@code ServiceEntry default/reviews}
 * @param workloads the workloads serving this port, their port already resolved for it
 */
public record ServiceIr(String host, int port, String portName, String protocol, String origin,
                        List<WorkloadIr> workloads) {
    public ServiceIr {
        workloads = List.copyOf(workloads);
    }

    /** {@code <host>:<port>}: the name clients dial ({@code xds:///<host>:<port>}). */
    public String name() {
        return host + ":" + port;
    }
}
