using CarbonLsp.Core.Schema;

namespace CarbonLsp.Core.Documents;

/// <summary>The ranges a prompt's numeric settings may take, read once from the schema (the one source):
/// the analysis skips a value outside them (the schema check reports it) and the generator refuses it.</summary>
public static class SettingRanges
{
    public static readonly (int Min, int Max) Steps = IntRange(FieldNames.Steps);
    public static readonly (int Min, int Max) Width = IntRange(FieldNames.Width);
    public static readonly (int Min, int Max) Height = IntRange(FieldNames.Height);
    public static readonly (int Min, int Max) Images = IntRange(FieldNames.Images);
    public static readonly (int Min, int Max) Batch = IntRange(FieldNames.Batch);
    public static readonly (double Min, double Max) Guidance = DoubleRange(FieldNames.Guidance);

    private static (int, int) IntRange(string field)
    {
        var (min, max) = DoubleRange(field);
        return ((int)min, (int)max);
    }

    private static (double, double) DoubleRange(string field)
    {
        var s = PromptSchema.PromptField(field) ?? throw new InvalidOperationException($"The schema has no prompt field {field}.");
        return ((double)(s.Minimum ?? throw new InvalidOperationException($"{field} has no minimum")), (double)(s.Maximum ?? throw new InvalidOperationException($"{field} has no maximum")));
    }
}
