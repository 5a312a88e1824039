package meshlog.gatewayapi.parse;

import static meshlog.gatewayapi.parse.VirtualServiceReader.destination;
import static meshlog.gatewayapi.parse.VirtualServiceReader.oneOf;
import static meshlog.gatewayapi.parse.VirtualServiceReader.percent;

import java.time.Duration;
import meshlog.gatewayapi.model.VirtualService.Body;
import meshlog.gatewayapi.model.VirtualService.CorsPolicy;
import meshlog.gatewayapi.model.VirtualService.Delegate;
import meshlog.gatewayapi.model.VirtualService.DerivePort;
import meshlog.gatewayapi.model.VirtualService.DirectResponse;
import meshlog.gatewayapi.model.VirtualService.Fault;
import meshlog.gatewayapi.model.VirtualService.FaultAbort;
import meshlog.gatewayapi.model.VirtualService.FaultDelay;
import meshlog.gatewayapi.model.VirtualService.HttpRoute;
import meshlog.gatewayapi.model.VirtualService.MirrorPolicy;
import meshlog.gatewayapi.model.VirtualService.Redirect;
import meshlog.gatewayapi.model.VirtualService.RegexRewrite;
import meshlog.gatewayapi.model.VirtualService.Retries;
import meshlog.gatewayapi.model.VirtualService.Rewrite;
import meshlog.gatewayapi.model.VirtualService.UnmatchedPreflights;

/** Reads one entry of {@code VirtualService.spec.http}: its matches, its action and its policies. */
final class HttpRouteReader {

    private HttpRouteReader() {
    }

    static HttpRoute route(Fields f) {
        var match = f.objects("match", (m, i) -> HttpMatchReader.match(m));
        var route = f.objects("route", (r, i) -> VirtualServiceReader.routeDestination(r, true));
        oneOf(f, "mirrorPercent", "mirror_percent");
        Integer mirrorPercent = f.integer("mirrorPercent", f.integer("mirror_percent", null));
        return new HttpRoute(f.string("name"), match, route, redirect(f), directResponse(f), delegate(f),
                rewrite(f), f.duration("timeout"), retries(f), fault(f), destination(f, "mirror"),
                f.objects("mirrors", (m, i) -> new MirrorPolicy(destination(m, "destination"),
                        percent(m, "percentage"))),
                percent(f, "mirrorPercentage"), mirrorPercent, cors(f),
                VirtualServiceReader.headers(f, "headers"));
    }

    private static Redirect redirect(Fields parent) {
        Fields f = parent.object("redirect");
        if (f == null) {
            return null;
        }
        oneOf(f, "port", "derivePort");
        Redirect r = new Redirect(f.string("uri"), f.string("authority"), f.integer("port", null),
                EnumField.read(f, "derivePort", DerivePort.class, null), f.string("scheme"),
                f.integer("redirectCode", 0), f.string("prefixRewrite"));
        f.end();
        return r;
    }

    private static DirectResponse directResponse(Fields parent) {
        Fields f = parent.object("directResponse");
        if (f == null) {
            return null;
        }
        int status = f.integer("status", 0);
        Body body = null;
        Fields b = f.object("body");
        if (b != null) {
            oneOf(b, "string", "bytes");
            String text = b.string("string");
            String bytes = b.string("bytes");
            if (bytes != null && Body.Bytes.decode(bytes) == null) {
                b.error(Fields.WRONG_TYPE, "bytes", "expected base64-encoded bytes");
            } else if (bytes != null && text == null) {
                body = new Body.Bytes(bytes);
            }
            if (text != null) {
                body = new Body.Text(text);
            }
            b.end();
        }
        f.end();
        return new DirectResponse(status, body);
    }

    private static Delegate delegate(Fields parent) {
        Fields f = parent.object("delegate");
        if (f == null) {
            return null;
        }
        Delegate d = new Delegate(f.string("name"), f.string("namespace"));
        f.end();
        return d;
    }

    private static Rewrite rewrite(Fields parent) {
        Fields f = parent.object("rewrite");
        if (f == null) {
            return null;
        }
        RegexRewrite regex = null;
        Fields r = f.object("uriRegexRewrite");
        if (r != null) {
            regex = new RegexRewrite(r.string("match"), r.string("rewrite"));
            r.end();
        }
        Rewrite out = new Rewrite(f.string("uri"), f.string("authority"), regex);
        f.end();
        return out;
    }

    private static Retries retries(Fields parent) {
        Fields f = parent.object("retries");
        if (f == null) {
            return null;
        }
        Retries r = new Retries(f.integer("attempts", 0), f.duration("perTryTimeout"), f.string("retryOn"),
                f.bool("retryRemoteLocalities"), f.bool("retryIgnorePreviousHosts"), f.duration("backoff"));
        f.end();
        return r;
    }

    private static Fault fault(Fields parent) {
        Fields f = parent.object("fault");
        if (f == null) {
            return null;
        }
        FaultDelay delay = null;
        Fields d = f.object("delay");
        if (d != null) {
            oneOf(d, "fixedDelay", "exponentialDelay");
            delay = new FaultDelay(d.duration("fixedDelay"), d.duration("exponentialDelay"),
                    percent(d, "percentage"), d.integer("percent", null));
            d.end();
        }
        FaultAbort abort = null;
        Fields a = f.object("abort");
        if (a != null) {
            oneOf(a, "httpStatus", "grpcStatus", "http2Error");
            abort = new FaultAbort(a.integer("httpStatus", null), a.string("grpcStatus"), a.string("http2Error"),
                    percent(a, "percentage"));
            a.end();
        }
        f.end();
        return new Fault(delay, abort);
    }

    private static CorsPolicy cors(Fields parent) {
        Fields f = parent.object("corsPolicy");
        if (f == null) {
            return null;
        }
        var origins = f.objects("allowOrigins", (o, i) -> HttpMatchReader.stringMatch(o));
        Duration maxAge = f.duration("maxAge");
        CorsPolicy c = new CorsPolicy(origins, f.strings("allowOrigin"), f.strings("allowMethods"),
                f.strings("allowHeaders"), f.strings("exposeHeaders"), maxAge, f.bool("allowCredentials"),
                EnumField.read(f, "unmatchedPreflights", UnmatchedPreflights.class, null));
        f.end();
        return c;
    }
}
