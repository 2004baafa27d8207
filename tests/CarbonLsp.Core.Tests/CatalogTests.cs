using CarbonLsp.Core.Catalog;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Core.Tests;

/// <summary>Numbers are the product: every number in the catalog carries a source.</summary>
public class CatalogTests
{
    private static readonly JObject Raw = JObject.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "CarbonLsp.Core", "Data", "catalog.json")));

    public static IEnumerable<object[]> Entries()
    {
        foreach (var section in new[] { "models", "devices" })
            foreach (var entry in (JArray)Raw[section]!)
                yield return new object[] { section, (string)entry["id"]! };
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Every_numeric_field_names_its_source(string section, string id)
    {
        var entry = ((JArray)Raw[section]!).First(e => (string)e["id"]! == id);
        var sources = (JObject?)entry["sources"] ?? new JObject();
        foreach (var p in ((JObject)entry).Properties())
        {
            if (p.Value.Type is not (JTokenType.Integer or JTokenType.Float or JTokenType.Object) || p.Name == "sources") continue;
            Assert.True(sources[p.Name] != null, $"{section}/{id}: '{p.Name}' has no source");
            Assert.Matches(@"\S", (string)sources[p.Name]!);
        }
        foreach (var m in (JArray?)entry["measurements"] ?? new JArray())
            Assert.True(Raw["references"]![(string)m["source"]!] != null, $"{id}: measurement source {m["source"]} is not in references");
    }

    [Fact]
    public void Every_constant_section_names_its_sources()
    {
        foreach (var section in new[] { "estimator", "rating", "equivalents" })
        {
            var obj = (JObject)Raw[section]!;
            foreach (var p in obj.Properties().Where(p => p.Name != "sources"))
                Assert.True(obj["sources"]![p.Name] != null, $"{section}.{p.Name} has no source");
        }
        foreach (var r in (JArray)Raw["regions"]!)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)r["source"]), (string?)r["code"]);
            Assert.InRange((int)r["year"]!, 2019, 2026);
        }
    }

    [Fact]
    public void Catalog_covers_the_required_models_and_devices()
    {
        var c = ModelCatalog.Default;
        foreach (var name in new[] { "sd15", "prompthero/openjourney-v4", "sd21", "sdxl", "ssd-1b", "sd-turbo", "sdxl-turbo", "lcm-dreamshaper-v7",
                     "segmind/tiny-sd", "sd3-medium", "sd35-medium", "sd35-large", "pixart-sigma", "flux-schnell", "flux-dev", "carbon-tiny" })
            Assert.NotNull(c.FindModel(name));
        foreach (var d in new[] { "nvidia-h100", "nvidia-a100", "nvidia-b200", "nvidia-rtx-4090", "nvidia-rtx-3060", "apple-m2", "cpu" })
            Assert.NotNull(c.FindDevice(d));
    }

    [Fact]
    public void Aliases_are_unique_and_alternatives_exist()
    {
        var c = ModelCatalog.Default;
        var all = c.Models.SelectMany(m => m.Aliases.Append(m.Id).Select(a => (a: a.ToLowerInvariant(), m.Id))).Distinct().ToList();
        Assert.Equal(all.Count, all.Select(x => x.a).Distinct().Count());
        foreach (var m in c.Models)
        foreach (var alt in m.LighterAlternatives)
            Assert.NotNull(c.FindModelById(alt));
    }

    [Fact]
    public void Each_kinds_name_is_its_json_spelling()
    {
        static void Check<T>(Func<T, string> name) where T : struct, Enum
        {
            foreach (var v in Enum.GetValues<T>())
                Assert.Equal(Newtonsoft.Json.JsonConvert.SerializeObject(v).Trim('"'), name(v));
        }
        Check<Precision>(p => p.Name());
        Check<ModelFamily>(f => f.Name());
        Check<ModelArchitecture>(a => a.Name());
        Check<DeviceKind>(k => k.Name());
        Assert.True(KindNames.TryParsePrecision("int8-weight", out var p) && p == Precision.Int8Weight);
        Assert.False(KindNames.TryParsePrecision("half", out _));
    }
}
