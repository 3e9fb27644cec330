using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Shoal.Cli.Tests.Dashboard;

/// <summary>
/// Debian's headless <c>chromium</c> driven through <c>chromium-driver</c> (installed by
/// <c>scripts/install-test-deps.sh</c>): the driver and the browser are stopped on dispose.
/// </summary>
internal sealed class DashboardBrowser : IDisposable
{
    private const string Browser = "/usr/bin/chromium";
    private const string DriverDirectory = "/usr/bin";
    private const string DriverFile = "chromedriver";

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;

    private DashboardBrowser(ChromeDriverService service, ChromeDriver driver)
    {
        _service = service;
        _driver = driver;
    }

    public IWebDriver Driver => _driver;

    public static DashboardBrowser Start()
    {
        Assert.True(File.Exists(Browser) && File.Exists(Path.Combine(DriverDirectory, DriverFile)),
            "chromium and chromium-driver are missing: run scripts/install-test-deps.sh");
        // The Debian paths are given, so Selenium Manager never looks for (or downloads) a driver.
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverFile);
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--no-first-run");
        try
        {
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
            return new DashboardBrowser(service, driver);
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, bounded by <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<DashboardBrowser, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                if (condition(this))
                {
                    return;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The page redrew between finding and reading an element: look again.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The page did not show {what} within {timeout.TotalSeconds:0} s. Page text: {_driver.FindElement(By.TagName("body")).Text}");
    }

    /// <summary>
    /// The text of column <paramref name="column"/> of every row <paramref name="rowSelector"/> matches,
    /// read in one script so a redraw (once a second) cannot leave a stale element half-read.
    /// </summary>
    public IReadOnlyList<string> Column(string rowSelector, int column)
    {
        var result = _driver.ExecuteScript(
            "return Array.from(document.querySelectorAll(arguments[0])).map(r => r.cells[arguments[1]].textContent);", rowSelector, column);
        return result is IEnumerable<object> values ? values.Select(v => v?.ToString() ?? "").ToList() : [];
    }

    /// <summary>The <c>d</c> attribute of every element <paramref name="selector"/> matches, read in one script.</summary>
    public IReadOnlyList<string> PathData(string selector)
    {
        var result = _driver.ExecuteScript("return Array.from(document.querySelectorAll(arguments[0])).map(p => p.getAttribute('d') || '');", selector);
        return result is IEnumerable<object> values ? values.Select(v => v?.ToString() ?? "").ToList() : [];
    }

    /// <summary>The text of the element <paramref name="selector"/> matches first, or empty.</summary>
    public string Text(string selector) => _driver.ExecuteScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", selector)?.ToString() ?? "";

    /// <summary>How many elements <paramref name="selector"/> matches.</summary>
    public int Count(string selector) => Convert.ToInt32(_driver.ExecuteScript("return document.querySelectorAll(arguments[0]).length;", selector), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Scrolls the first element <paramref name="selector"/> matches to the top of the window.</summary>
    public void ScrollTo(string selector) => _driver.ExecuteScript("const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView(true);", selector);

    public void Screenshot(string path) => _driver.GetScreenshot().SaveAsFile(path);

    public void Dispose()
    {
        try
        {
            _driver.Quit();
        }
        finally
        {
            _driver.Dispose();
            _service.Dispose();
        }
    }
}
