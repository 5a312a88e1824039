package meshlog.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import meshlog.configstore.LogSafe;
import meshlog.configstore.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of {@link GitWebhook}: a POST only, a body of at most {@link GitWebhook#MAX_BODY} bytes (413). */
final class WebhookRequest {

    static final String PATH = "/webhook/git";
    private static final Logger LOG = LoggerFactory.getLogger("meshlog.webhook");
    /** A client can send refusals at will: one line per window, not one per request. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG::warn);

    private WebhookRequest() {
    }

    static void handle(HttpServerRequest req, GitWebhook webhook, Runnable fetchNow) {
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader("Allow", "POST");
            answer(req, new GitWebhook.Verdict(405, "method " + req.method() + " not allowed: POST a webhook", false));
            return;
        }
        String length = req.getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            answer(req, tooLarge());
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        req.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > GitWebhook.MAX_BODY) {
                over[0] = true;
                answer(req, tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (over[0]) {
                return;
            }
            GitWebhook.Verdict verdict = webhook.judge(req::getHeader, body.getBytes());
            if (verdict.fetch()) {
                LOG.info("webhook: {}", verdict.message());
                fetchNow.run();
            } else if (verdict.status() >= 400) {
                String from = req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress();
                REFUSALS.event("webhook " + verdict.status() + " " + from, () -> "webhook refused from "
                        + LogSafe.value(from) + ": " + verdict.status() + " " + verdict.message());
            }
            answer(req, verdict);
        });
    }

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > GitWebhook.MAX_BODY;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed Content-Length
        }
    }

    private static GitWebhook.Verdict tooLarge() {
        return new GitWebhook.Verdict(413, "the body is over " + GitWebhook.MAX_BODY + " bytes", false);
    }

    private static void answer(HttpServerRequest req, GitWebhook.Verdict v) {
        if (req.response().ended()) {
            return;
        }
        if (v.status() == 413) {
            req.response().putHeader("Connection", "close");
        }
        req.response().setStatusCode(v.status()).putHeader("content-type", "text/plain").end(v.message() + "\n");
    }
}
