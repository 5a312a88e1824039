package meshlog.discovery.k8s;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/** An informer handler that only says something changed: meshlog's edges re-read the caches on their own thread. */
final class AnyChange<T> implements ResourceEventHandler<T> {

    private final Runnable onChange;

    AnyChange(Runnable onChange) {
        this.onChange = onChange;
    }

    @Override
    public void onAdd(T obj) {
        onChange.run();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        onChange.run();
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.run();
    }
}
