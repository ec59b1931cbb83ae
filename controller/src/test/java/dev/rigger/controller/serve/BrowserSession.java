package dev.rigger.controller.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by ChromeDriver, both named explicitly so that Selenium never looks for (or
 * downloads) a browser of its own; a fresh profile per session, removed on close.
 */
final class BrowserSession implements AutoCloseable {
    // Chromium's own background traffic (updates, sync, QUIC probes) has nowhere to go on a closed network.
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1500,900");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private BrowserSession(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    static BrowserSession open(Path driverLog) throws IOException {
        Path profile = Files.createTempDirectory("rigger-chromium");
        Files.createDirectories(driverLog.toAbsolutePath().getParent());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserPrerequisites.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserPrerequisites.CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        try {
            return new BrowserSession(new ChromeDriver(service, options), service, profile);
        } catch (RuntimeException e) {
            service.stop();
            BrowserFiles.deleteTree(profile);
            throw e;
        }
    }

    /** A wait that looks every 100 ms: fast enough to see a task's cell before it turns done. */
    WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100));
    }

    /** What the page wrote to the browser console at level SEVERE since the last call (script errors among it). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    Path screenshot(Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path taken = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.move(taken, png, StandardCopyOption.REPLACE_EXISTING);
        return png;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            BrowserFiles.deleteTree(profile);
        }
    }
}
