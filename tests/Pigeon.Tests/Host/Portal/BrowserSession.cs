using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using OpenQA.Selenium.Support.UI;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Debian's Chromium, headless, driven through Debian's chromedriver (Selenium), with a fresh
    /// profile per test. Missing browser: Inconclusive locally, a failure when CI=true.
    /// </summary>
    internal sealed class BrowserSession : IDisposable
    {
        public const string ChromiumPath = "/usr/bin/chromium";
        public const string DriverPath = "/usr/bin/chromedriver";

        private readonly string _profile;

        private BrowserSession(ChromeDriver driver, string profile)
        {
            Driver = driver;
            _profile = profile;
        }

        public ChromeDriver Driver { get; }

        /// <summary>tests/Pigeon.Tests/bin/&lt;Configuration&gt;/net10.0/screenshots.</summary>
        public static string ScreenshotDir => Path.Combine(AppContext.BaseDirectory, "screenshots");

        /// <summary>Starts Chromium with a 390x844 (phone-sized) viewport, and any extra command-line switches.</summary>
        /// <summary>A session started (see <see cref="Start"/>) on <paramref name="url"/>.</summary>
        public static BrowserSession Open(string url)
        {
            BrowserSession session = Start();
            try
            {
                session.Driver.Navigate().GoToUrl(url);
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        public static BrowserSession Start(params string[] extraArguments)
        {
            if (!File.Exists(ChromiumPath) || !File.Exists(DriverPath))
            {
                string why = "Chromium is not installed (" + ChromiumPath + ", " + DriverPath + "): apt-get install chromium chromium-driver, see .ci/install.d/20-chromium.sh";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail(why);
                }

                Assert.Inconclusive(why);
            }

            string profile = Path.Combine(Path.GetTempPath(), "pigeon-chromium-" + Guid.NewGuid().ToString("N"));
            ChromeOptions options = new ChromeOptions { BinaryLocation = ChromiumPath };
            options.AddArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=390,844", "--hide-scrollbars");
            options.AddArguments(extraArguments);
            options.SetLoggingPreference(LogType.Browser, LogLevel.All);
            options.EnableMobileEmulation(new ChromiumMobileEmulationDeviceSettings
            {
                Width = 390,
                Height = 844,
                PixelRatio = 1,
                EnableTouchEvents = true,
                UserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
            });
            ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath), Path.GetFileName(DriverPath));
            service.SuppressInitialDiagnosticInformation = true;
            service.HideCommandPromptWindow = true;
            ChromeDriver driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            return new BrowserSession(driver, profile);
        }

        public IWebElement WaitVisible(string cssSelector, int seconds = 10)
        {
            WebDriverWait wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds));
            return wait.Until(d =>
            {
                foreach (IWebElement e in d.FindElements(By.CssSelector(cssSelector)))
                {
                    if (e.Displayed)
                    {
                        return e;
                    }
                }

                return null;
            });
        }

        public void WaitUntil(Func<IWebDriver, bool> condition, string what, int seconds = 10)
        {
            WebDriverWait wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { Message = what };
            wait.Until(condition);
        }

        public void Type(string id, string text)
        {
            IWebElement e = Driver.FindElement(By.Id(id));
            e.Clear();
            e.SendKeys(text);
        }

        public string Screenshot(string name)
        {
            Directory.CreateDirectory(ScreenshotDir);
            string path = Path.Combine(ScreenshotDir, name + ".png");
            Driver.GetScreenshot().SaveAsFile(path);
            return path;
        }

        /// <summary>Fails when the page is wider than the viewport (horizontal scrolling).</summary>
        public void AssertNoHorizontalScroll(string where)
        {
            long scroll = Convert.ToInt64(Driver.ExecuteScript("return document.documentElement.scrollWidth;"));
            long inner = Convert.ToInt64(Driver.ExecuteScript("return window.innerWidth;"));
            Assert.IsTrue(scroll <= inner, where + ": page is " + scroll + " px wide in a " + inner + " px viewport");
        }

        /// <summary>Fails on any console error (CSP violations, script errors, failed loads) except the
        /// API's deliberate 401/422 answers, which Chromium also logs.</summary>
        public void AssertNoConsoleErrors(string where)
        {
            foreach (LogEntry entry in Driver.Manage().Logs.GetLog(LogType.Browser))
            {
                if (entry.Message.Contains("/api/") && (entry.Message.Contains("status of 422") || entry.Message.Contains("status of 401")))
                {
                    continue;
                }

                Assert.AreNotEqual(LogLevel.Severe, entry.Level, where + ": console error: " + entry.Message);
            }
        }

        public void Dispose()
        {
            try
            {
                Driver.Quit();
            }
            finally
            {
                Driver.Dispose();
                try
                {
                    Directory.Delete(_profile, true);
                }
                catch (IOException)
                {
                    // chromium may still hold a file for a moment
                }
            }
        }
    }
}
