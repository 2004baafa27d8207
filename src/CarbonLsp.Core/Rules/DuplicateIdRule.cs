using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Fixes;

namespace CarbonLsp.Core.Rules;

/// <summary>CL009: two prompts whose ids name the same image file — equal, or equal but for case (one file on
/// macOS and Windows) or for characters a file system does not allow. An error: the second image would
/// overwrite the first, and every run would make both again. The fix renames the later one.</summary>
public sealed class DuplicateIdRule : IFileRule
{
    public string Code => FindingCodes.DuplicateId;

    public IEnumerable<Finding> Check(FileContext c)
    {
        // One key per prompt: this runs on every edit of a file that may hold 10,000 prompts.
        var prompts = c.Document.Prompts;
        var first = new Dictionary<string, PromptEntry>(prompts.Count, StringComparer.Ordinal);
        HashSet<string>? taken = null; // every key in use; built only when there is a clash
        for (var i = 0; i < prompts.Count; i++)
        {
            var p = prompts[i];
            if (p.IdKey is not { } key) continue;
            var id = p.Id!;
            if (first.TryAdd(key, p) || p.Field(FieldNames.Id)?.Value is not { } value) continue;
            var original = first[key];
            var how = original.Id == id ? "is also the id of" : $"names the same file as \"{original.Id}\", the id of";
            var span = p.ToDocument(value.Span);
            taken ??= new HashSet<string>(prompts.Select(x => x.IdKey).OfType<string>(), StringComparer.Ordinal);
            var rename = Unused(id, taken);
            taken.Add(FileNames.CollisionKey(rename));
            yield return new Finding(Code, Severity.Error,
                $"The id \"{id}\" {how} prompt {original.DisplayName}: ids name the image files ({FileNames.Safe(id)}.png), so one image would overwrite the other. Give this prompt another id.",
                span)
            {
                PromptIndex = p.Index,
                Related = new[] { new RelatedLocation(original.AnchorSpan, $"\"{original.Id}\" first used here") },
                Fixes = new[] { new Fix($"Rename to \"{rename}\"", new[] { new TextEdit(span, JsonEdits.Literal(rename)) }, true) },
            };
        }
    }

    /// <summary>"shape-2", "shape-3", ...: the first that names a file no prompt uses.</summary>
    private static string Unused(string id, HashSet<string> taken)
    {
        for (var n = 2; ; n++)
        {
            var candidate = $"{id}-{n}";
            if (!taken.Contains(FileNames.CollisionKey(candidate))) return candidate;
        }
    }
}
