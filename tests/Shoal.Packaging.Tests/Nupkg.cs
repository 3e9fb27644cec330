using System.IO.Compression;
using System.Xml.Linq;

namespace Shoal.Packaging.Tests;

/// <summary>A .nupkg read as what it is, a zip archive with a .nuspec at its root.</summary>
internal sealed class Nupkg
{
    private Nupkg(XElement metadata, IReadOnlySet<string> entries, Func<string, string> readEntry)
    {
        Metadata = metadata;
        Entries = entries;
        ReadEntry = readEntry;
    }

    public XElement Metadata { get; }

    /// <summary>Every file's path inside the package.</summary>
    public IReadOnlySet<string> Entries { get; }

    /// <summary>The text of one file inside the package.</summary>
    public Func<string, string> ReadEntry { get; }

    public static Nupkg Open(string path)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var archive = ZipFile.OpenRead(path))
        {
            foreach (var entry in archive.Entries.Where(e => e.Length < 1_000_000 && !e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(entry.Open());
                files[entry.FullName] = reader.ReadToEnd();
            }
            var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            var nuspec = names.Single(n => !n.Contains('/', StringComparison.Ordinal) && n.EndsWith(".nuspec", StringComparison.Ordinal));
            var metadata = XDocument.Parse(files[nuspec]).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            return new Nupkg(metadata, names, name => files[name]);
        }
    }

    /// <summary>The text of metadata element <paramref name="name"/>, or null.</summary>
    public string? Value(string name) => Element(name)?.Value.Trim();

    public XElement? Element(string name) => Metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

    public string? Attribute(string element, string attribute) => Element(element)?.Attribute(attribute)?.Value;

    /// <summary>The names in <c>packageTypes</c> (empty for an ordinary library, which NuGet calls Dependency).</summary>
    public IReadOnlyList<string> PackageTypes =>
        Element("packageTypes")?.Elements().Select(e => e.Attribute("name")!.Value).ToArray() ?? [];
}
