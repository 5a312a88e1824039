package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every answer of {@code POST /webhook/git} from headers and body, as GitHub, Gitea and GitLab send them. */
class GitWebhookTest {

    static final String SECRET = "It's a Secret to Everybody";
    final GitWebhook hook = new GitWebhook(SECRET.getBytes(StandardCharsets.UTF_8), "main");

    static final String PUSH_MAIN = "{\"ref\":\"refs/heads/main\",\"before\":\"0\",\"after\":\"1\"}";

    GitWebhook.Verdict judge(String body, String... headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return hook.judge(h::get, body.getBytes(StandardCharsets.UTF_8));
    }

    String sig(String body) {
        return java.util.HexFormat.of().formatHex(hook.hmac(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theHmacIsGitHubsDocumentedExample() {
        // docs.github.com, "Validating webhook deliveries": this secret and payload give this signature.
        assertThat(sig("Hello, World!")).isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void aSignedPushToTheFollowedBranchFetchesFromEachForge() {
        assertThat(judge(PUSH_MAIN, "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + sig(PUSH_MAIN)))
                .isEqualTo(new GitWebhook.Verdict(202, "fetching refs/heads/main now", true));
        assertThat(judge(PUSH_MAIN, "X-Gitea-Event", "push", "X-Gitea-Signature", sig(PUSH_MAIN)))
                .isEqualTo(new GitWebhook.Verdict(202, "fetching refs/heads/main now", true));
        String gitlab = "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\"}";
        assertThat(judge(gitlab, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET))
                .isEqualTo(new GitWebhook.Verdict(202, "fetching refs/heads/main now", true));
        assertThat(judge(PUSH_MAIN, "X-GitHub-Event", "push", "X-Hub-Signature-256",
                "SHA256=" + sig(PUSH_MAIN).toUpperCase())).extracting(GitWebhook.Verdict::fetch).isEqualTo(true);
    }

    @Test
    void aMissingOrWrongSignatureIs401AndNothingIsParsed() {
        String no = "no valid signature: send X-Hub-Signature-256 (GitHub), X-Gitea-Signature (Gitea) or"
                + " X-Gitlab-Token (GitLab) made with the secret of --webhook-secret-file";
        assertThat(judge(PUSH_MAIN, "X-GitHub-Event", "push")).isEqualTo(new GitWebhook.Verdict(401, no, false));
        assertThat(judge(PUSH_MAIN, "X-Hub-Signature-256", "sha256=" + sig(PUSH_MAIN + " "))).extracting(
                GitWebhook.Verdict::status).isEqualTo(401);
        assertThat(judge(PUSH_MAIN, "X-Hub-Signature-256", sig(PUSH_MAIN))).as("without sha256=").extracting(
                GitWebhook.Verdict::status).isEqualTo(401);
        assertThat(judge(PUSH_MAIN, "X-Gitea-Signature", "not hex")).extracting(GitWebhook.Verdict::status)
                .isEqualTo(401);
        assertThat(judge(PUSH_MAIN, "X-Gitlab-Token", SECRET + "x")).extracting(GitWebhook.Verdict::status)
                .isEqualTo(401);
        assertThat(judge("not json", "X-Gitlab-Token", "")).extracting(GitWebhook.Verdict::status).isEqualTo(401);
    }

    @Test
    void otherBranchesTagsAndEventsAreAcceptedAndIgnored() {
        String dev = "{\"ref\":\"refs/heads/dev\"}";
        assertThat(judge(dev, "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + sig(dev)))
                .isEqualTo(new GitWebhook.Verdict(202, "ignored: a push to refs/heads/dev, not refs/heads/main",
                        false));
        String tag = "{\"ref\":\"refs/tags/main\"}";
        assertThat(judge(tag, "X-Gitea-Event", "push", "X-Gitea-Signature", sig(tag))).extracting(
                GitWebhook.Verdict::fetch).isEqualTo(false);
        assertThat(judge("{}", "X-GitHub-Event", "issues", "X-Hub-Signature-256", "sha256=" + sig("{}")))
                .isEqualTo(new GitWebhook.Verdict(202, "ignored: GitHub event \"issues\" is not a push", false));
        assertThat(judge("{}", "X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=" + sig("{}")))
                .isEqualTo(new GitWebhook.Verdict(200, "pong", false));
        assertThat(judge("{}", "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", SECRET)).extracting(
                GitWebhook.Verdict::status, GitWebhook.Verdict::fetch).containsExactly(202, false);
    }

    @Test
    void aFormEncodedPayloadAsGitHubSendsByDefaultIsSignedAsSentAndReadFromItsPayloadField() {
        String form = "payload=" + java.net.URLEncoder.encode(PUSH_MAIN, StandardCharsets.UTF_8);
        assertThat(judge(form, "Content-Type", "application/x-www-form-urlencoded", "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + sig(form)))
                .isEqualTo(new GitWebhook.Verdict(202, "fetching refs/heads/main now", true));
        assertThat(judge(form, "Content-Type", "application/x-www-form-urlencoded", "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + sig(PUSH_MAIN))).as("the signature of the JSON inside is not"
                + " the body's").extracting(GitWebhook.Verdict::status).isEqualTo(401);
        String bad = "payload=%zz";
        assertThat(judge(bad, "Content-Type", "application/x-www-form-urlencoded", "X-Gitea-Signature", sig(bad)))
                .extracting(GitWebhook.Verdict::status).isEqualTo(400);
    }

    @Test
    void aSignedBodyThatIsNotAPushPayloadIs400() {
        assertThat(judge("[1,", "X-Gitlab-Token", SECRET)).extracting(GitWebhook.Verdict::status).isEqualTo(400);
        assertThat(judge("{\"ref\":1}", "X-Gitlab-Token", SECRET))
                .isEqualTo(new GitWebhook.Verdict(400, "the push payload has no \"ref\"", false));
    }
}
