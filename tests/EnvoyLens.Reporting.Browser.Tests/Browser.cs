using EnvoyLens.Cli;
using EnvoyLens.TestKit;
using Microsoft.Playwright;

namespace EnvoyLens.Reporting.Browser.Tests;

/// <summary>
/// One headless Chromium for the whole test class: Debian's <c>chromium</c> driven by Playwright through
/// <c>ExecutablePath</c> (Playwright's own browser download is not used). Without Chromium the tests fail, saying how
/// to install it; they never skip.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where the system's Chromium may be: the environment's choice first, then Debian's binary and launcher.</summary>
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Instance => _browser ?? throw new InvalidOperationException("The browser was not started.");

    /// <summary>The Chromium executable to drive: <c>ENVOYLENS_CHROMIUM</c>, else the first installed candidate.</summary>
    public static string Executable()
    {
        var chosen = Environment.GetEnvironmentVariable("ENVOYLENS_CHROMIUM");
        if (!string.IsNullOrEmpty(chosen))
        {
            return File.Exists(chosen)
                ? chosen
                : throw new InvalidOperationException($"ENVOYLENS_CHROMIUM names '{chosen}', which does not exist; install Chromium with 'sudo apt-get install -y chromium' or point it at a Chromium binary.");
        }

        return Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed, and the browser tests need it: install it with 'sudo apt-get install -y chromium' (Debian), or set ENVOYLENS_CHROMIUM to a Chromium binary.");
    }

    public async Task InitializeAsync()
    {
        var executable = Executable();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page on <paramref name="file"/>, with every console error and page error collected into <paramref name="errors"/>.</summary>
    public async Task<IPage> Open(string file, List<string> errors)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

        // The report must not reach the network: any request other than the file itself is an error.
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file://", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                errors.Add("network request: " + route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add("page error: " + error);
        await page.GotoAsync(new Uri(file).AbsoluteUri);
        return page;
    }
}

/// <summary>Runs the CLI in-process and writes its page to a file.</summary>
internal static class Reports
{
    public static (int ExitCode, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = EnvoyLensCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The page <paramref name="args"/> print, saved under <paramref name="directory"/> as <paramref name="name"/>.</summary>
    public static string Write(string directory, string name, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code is 0 or 1, $"envoylens {string.Join(' ', args)} exited {code}: {error}");
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, output);
        return path;
    }

    /// <summary>Where screenshots are kept as test artifacts: <c>ENVOYLENS_ARTIFACTS</c>, else <c>artifacts/</c> beside the test assembly.</summary>
    public static string Artifacts()
    {
        var dir = Environment.GetEnvironmentVariable("ENVOYLENS_ARTIFACTS") is { Length: > 0 } chosen ? chosen : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string Reviews => TestPaths.Fixture("snapshots", "reviews");
}
