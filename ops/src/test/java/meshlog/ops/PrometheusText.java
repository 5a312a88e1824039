package meshlog.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A real scrape of an admin port's {@code /metrics} and the samples read from its text, for the tests. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** GET {@code /metrics} on 127.0.0.1:{@code port}; fails unless it answers 200. */
    static String scrape(int port) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }

    /** The value of the sample whose name and labels are exactly {@code series}. */
    static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1).strip())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + metrics));
    }

    /** The {@code le} bounds of {@code bucket}'s lines that contain every one of {@code labels}, in order. */
    static List<Double> les(String metrics, String bucket, String... labels) {
        return metrics.lines().filter(l -> l.startsWith(bucket + "{") && List.of(labels).stream()
                        .allMatch(l::contains)).map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
                .map(le -> le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le)).toList();
    }
}
