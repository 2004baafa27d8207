using CarbonLsp.Core.Rules;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Reports;

/// <summary>SARIF 2.1.0 for code-scanning tools. Columns are UTF-16 code units (SARIF's default
/// columnKind), 1-based, as SARIF requires.</summary>
public static class SarifReport
{

    /// <summary>SARIF allows no null URIs: a property without a value is left out.</summary>
    private static JObject WithoutNulls(JObject o)
    {
        foreach (var p in o.Properties().Where(p => p.Value.Type == JTokenType.Null).ToList()) p.Remove();
        return o;
    }

    public static string Render(IReadOnlyList<FileReport> files, string toolVersion)
    {
        var rules = new JArray(FindingCodes.Titles.OrderBy(kv => kv.Key).Select(kv => WithoutNulls(new JObject
        {
            ["id"] = kv.Key,
            ["name"] = kv.Value.Replace(" ", ""),
            ["shortDescription"] = new JObject { ["text"] = kv.Value },
            ["helpUri"] = LanguageServer.Configuration.RulesDocs.For(kv.Key), // the installed docs; left out without them
        })));
        var results = new JArray();
        foreach (var file in files)
        {
            var uri = file.Path.Replace('\\', '/');
            foreach (var f in file.Errors.Concat(file.Findings).Concat(file.Prompts.SelectMany(p => p.Findings)))
            {
                var result = new JObject
                {
                    ["ruleId"] = f.Code,
                    ["level"] = f.Severity switch { "error" => "error", "warning" => "warning", _ => "note" },
                    ["message"] = new JObject { ["text"] = f.Message },
                    ["locations"] = new JArray(new JObject
                    {
                        ["physicalLocation"] = new JObject
                        {
                            ["artifactLocation"] = new JObject { ["uri"] = uri },
                            ["region"] = Region(f.Range),
                        },
                    }),
                };
                if (f.Fixes.Count > 0)
                    result["fixes"] = new JArray(f.Fixes.Select(x => new JObject
                    {
                        ["description"] = new JObject { ["text"] = x.Title },
                        ["artifactChanges"] = new JArray(new JObject
                        {
                            ["artifactLocation"] = new JObject { ["uri"] = uri },
                            ["replacements"] = new JArray(x.Edits.Select(e => new JObject
                            {
                                ["deletedRegion"] = Region(e.Range),
                                ["insertedContent"] = new JObject { ["text"] = e.NewText },
                            })),
                        }),
                    }));
                results.Add(result);
            }
        }
        var log = new JObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JArray(new JObject
            {
                ["tool"] = new JObject
                {
                    ["driver"] = WithoutNulls(new JObject
                    {
                        ["name"] = "carbonlsp",
                        ["version"] = toolVersion,
                        ["informationUri"] = LanguageServer.Configuration.RulesDocs.Base?.TrimEnd('#'),
                        ["rules"] = rules,
                    }),
                },
                ["results"] = results,
            }),
        };
        return log.ToString(Formatting.Indented);
    }

    private static JObject Region(RangeReport r) => new()
    {
        ["startLine"] = r.Start.Line + 1,
        ["startColumn"] = r.Start.Character + 1,
        ["endLine"] = r.End.Line + 1,
        ["endColumn"] = r.End.Character + 1,
    };
}
