package meshlog.ops.logging;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * meshlog's SLF4J backend (registered in {@code META-INF/services}): slf4j-simple's text lines by default, JSON lines
 * with {@code --log-format json}; levels configured as slf4j-simple's ({@link LogLevels}). Kafka's and the other
 * libraries' logs pass through it too.
 */
public final class MeshlogLoggerProvider implements SLF4JServiceProvider {

    private final ConcurrentHashMap<String, MeshlogLogger> loggers = new ConcurrentHashMap<>();
    private IMarkerFactory markers;
    private MDCAdapter mdc;
    private ILoggerFactory factory;

    @Override
    public void initialize() {
        LogLevels levels = LogLevels.load();
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
        factory = name -> loggers.computeIfAbsent(name, n -> new MeshlogLogger(n, levels.threshold(n)));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
