using System.Globalization;
using System.Text.Json;

namespace EnvoyLens.ParseBaseline;

/// <summary>
/// <c>parse-baseline FILE</c>: reads FILE and parses it with <see cref="JsonDocument"/>, then prints how many properties
/// its root object has (so that the parse cannot be skipped). The figure every whole-process measurement of envoylens is
/// set beside: "a process that reads the file and runs JsonDocument.Parse".
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: parse-baseline FILE");
            return 2;
        }

        var bytes = File.ReadAllBytes(args[0]);
        using var document = JsonDocument.Parse(bytes);
        var count = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.EnumerateObject().Count() : 0;
        Console.WriteLine(count.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
