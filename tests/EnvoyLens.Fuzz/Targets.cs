using System.IO.Compression;
using EnvoyLens.Admin;
using EnvoyLens.Certs.Parsing;
using EnvoyLens.Certs.Spiffe;
using EnvoyLens.Certs.Validation;
using EnvoyLens.Core;
using EnvoyLens.Decoding;

namespace EnvoyLens.Fuzz;

/// <summary>
/// The fuzz targets by name. Each calls what the CLI calls on a file of these bytes and lets every exception but an
/// <see cref="EnvoyLensException"/> escape (a crash to afl-fuzz).
/// </summary>
internal static class Targets
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly bool UnderAfl = Environment.GetEnvironmentVariable("__AFL_SHM_ID") is not null;

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new SortedDictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["protojson"] = Document,
        ["yaml"] = Document,
        ["bundle"] = Bundle,
        ["certs"] = Certificates,
    };

    /// <summary>
    /// A file named as a source (<c>envoylens config all FILE</c>): sniffed for its endpoint, then decoded (a config dump
    /// through the layout reader, the YAML converter and the proto JSON reader) and read as <c>diff</c> reads it. The two
    /// names differ only in their seeds.
    /// </summary>
    private static void Document(byte[] input)
    {
        var raw = new RawSnapshot("input", [new RawDocument(DocumentSniffer.Sniff(input), "input", input)]);
        Expected(() => SnapshotDecoder.Decode(raw));

        // What diff reads of the same file: the comparable resources and their canonical trees.
        Expected(() =>
        {
            foreach (var resource in Decoding.Canonical.CanonicalReader.Read(raw).Resources)
            {
                _ = resource.Load();
            }
        });
    }

    /// <summary>
    /// A bundle archive (<c>--bundle FILE.tar.gz</c>), read and decoded. An input that is not gzip-compressed is taken as
    /// the tar inside and compressed here, so the mutations reach the tar headers and the manifest rather than being
    /// stopped by the inflater's checksum; an input that starts with the gzip header is used as it is.
    /// </summary>
    private static void Bundle(byte[] input)
    {
        var path = Path.Combine(Scratch.Value, "input.tar.gz");
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            if (input.Length >= 2 && input[0] == 0x1f && input[1] == 0x8b)
            {
                file.Write(input);
            }
            else
            {
                using var gzip = new GZipStream(file, CompressionLevel.Fastest);
                gzip.Write(input);
            }
        }

        Expected(() => SnapshotDecoder.Decode(SnapshotSources.Open(path)));
    }

    /// <summary>
    /// PEM or DER bytes as <c>certs inspect</c> and <c>certs verify</c> use them: every certificate read and SVID-checked,
    /// then the first verified against the last as the trust anchor with the others as intermediates.
    /// </summary>
    private static void Certificates(byte[] input)
    {
        var read = CertificateReader.ReadBytes(input, "input");
        foreach (var certificate in read.Certificates)
        {
            _ = SvidChecks.Check(certificate);
        }

        if (read.Certificates.Count > 0)
        {
            var chain = read.Certificates;
            _ = PathValidator.Verify(new VerifyRequest(chain[0], [chain[^1]], chain.Skip(1).SkipLast(1).ToList(), At));
            _ = SvidChecks.CheckChain(chain);
        }
    }

    private static void Expected(Action read)
    {
        try
        {
            read();
        }
        catch (EnvoyLensException e)
        {
            // The one-sentence input error: what bad input is meant to end in. Shown when an input is replayed by hand.
            if (!UnderAfl)
            {
                Console.Error.Write($"input error (expected): {e.Message}\n");
            }
        }
    }

    /// <summary>A folder of this process's own for the files a target writes, removed when the process ends.</summary>
    private static readonly Lazy<string> Scratch = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("envoylens-fuzz-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });
}
