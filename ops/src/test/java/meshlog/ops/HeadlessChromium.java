package meshlog.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through its own chromedriver, headless: what the web UI tests look at the pages with.
 * Both binaries are named explicitly ({@code MESHLOG_CHROMIUM}, {@code MESHLOG_CHROMEDRIVER}, else
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}): with the driver given to its service, Selenium
 * skips Selenium Manager, so nothing is looked up or downloaded at test time. Without them the calling test is skipped with one printed line, except under
 * {@code CI=true}, where it fails (as {@link meshlog.testkit.EnvoyBinary} treats a missing Envoy).
 */
final class HeadlessChromium {

    private static final String HOW = "apt-get install chromium chromium-driver, or set MESHLOG_CHROMIUM and"
            + " MESHLOG_CHROMEDRIVER";

    private HeadlessChromium() {
    }

    /** A new headless browser; the caller quits it. */
    static ChromeDriver start() {
        Path browser = binary("MESHLOG_CHROMIUM", "/usr/bin/chromium");
        Path driver = binary("MESHLOG_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (browser == null || driver == null) {
            String why = "no " + (browser == null ? "chromium" : "chromedriver") + " found: " + HOW;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but " + why);
            }
            System.out.println("web UI browser tests skipped: " + why);
            Assumptions.abort(why);
        }
        ChromeOptions options = new ChromeOptions().setBinary(browser.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(30)).build();
        return new ChromeDriver(service, options);
    }

    private static Path binary(String env, String otherwise) {
        String configured = System.getenv(env);
        Path p = Path.of(configured == null || configured.isBlank() ? otherwise : configured);
        return Files.isExecutable(p) ? p : null;
    }
}
