using NJsonSchema;

namespace CarbonLsp.Core.Schema;

/// <summary>The prompt-file schema (schemas/prompts.schema.json, embedded), loaded once with NJsonSchema.</summary>
public static class PromptSchema
{
    private static readonly Lazy<string> s_text = new(() => Catalog.ModelCatalog.ReadResource("CarbonLsp.Core.prompts.schema.json"));
    private static readonly Lazy<JsonSchema> s_schema = new(() => JsonSchema.FromJsonAsync(s_text.Value).GetAwaiter().GetResult());

    public static string Text => s_text.Value;
    public static JsonSchema Schema => s_schema.Value;

    /// <summary>The schema of one field of a prompt (resolving references), or null.</summary>
    public static JsonSchema? PromptField(string name)
    {
        var prompt = Schema.Definitions["prompt"];
        return prompt.Properties.TryGetValue(name, out var p) ? p.ActualSchema : null;
    }

    public static JsonSchema? TopLevelField(string name) =>
        Schema.Properties.TryGetValue(name, out var p) ? p.ActualSchema : null;
}
