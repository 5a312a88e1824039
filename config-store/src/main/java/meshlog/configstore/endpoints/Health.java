package meshlog.configstore.endpoints;

/**
 * An endpoint's EndpointSlice conditions with the API's defaults applied (ready unset = true, serving unset = ready,
 * terminating unset = false), and Istio's reading of them ({@code endpointHealthStatus}): HEALTHY when ready,
 * DRAINING when not ready but still serving while terminating, UNHEALTHY otherwise.
 */
public record Health(boolean ready, boolean serving, boolean terminating, Status status) {

    public enum Status { HEALTHY, UNHEALTHY, DRAINING }

    public static Health of(Boolean ready, Boolean serving, Boolean terminating) {
        boolean r = ready == null || ready;
        boolean s = serving == null ? r : serving;
        boolean t = terminating != null && terminating;
        Status status = r ? Status.HEALTHY : (s && t ? Status.DRAINING : Status.UNHEALTHY);
        return new Health(r, s, t, status);
    }
}
