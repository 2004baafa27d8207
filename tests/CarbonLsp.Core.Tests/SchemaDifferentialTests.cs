using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Schema;
using CsCheck;

namespace CarbonLsp.Core.Tests;

/// <summary>The compiled schema check and NJsonSchema's own validator flag the same places on random
/// prompt files (valid and invalid names, types and values).</summary>
public class SchemaDifferentialTests
{
    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.Int[-5, 3000].Select(i => i.ToString()),
        Gen.Double[-10, 2000].Select(d => d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf(Gen.Const("\"sdxl\""), Gen.Const("\"fp16\""), Gen.Const("\"fp64\""), Gen.Const("\"euler\""), Gen.Const("\"FR\""), Gen.Const("\"bad id!\""), Gen.Const("\"ok-id\"")),
        Gen.OneOf(Gen.Const("true"), Gen.Const("null"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("[1, \"a\"]")));

    private static readonly Gen<string> Name = Gen.OneOf(
        Gen.OneOf(FieldNames.PromptFields.Select(Gen.Const).ToArray()),
        Gen.OneOf(Gen.Const("stepz"), Gen.Const("Model"), Gen.Const("co2eGrams"), Gen.Const("extra")));

    private static readonly Gen<string> Obj = Gen.Select(Name, Value).Array[0, 6]
        .Select(kvs => "{ " + string.Join(", ", kvs.DistinctBy(kv => kv.Item1).Select(kv => $"\"{kv.Item1}\": {kv.Item2}")) + " }");
    // (Distinct names: a JToken keeps only the last duplicate, while our check flags every occurrence.)

    private static readonly Gen<string> Doc = Gen.Select(Obj.Array[0, 4], Obj, Gen.OneOf(Gen.Const(""), Gen.Const("\"region\": 5,"), Gen.Const("\"device\": \"cpu\","), Gen.Const("\"device\": \"gpu\","),
            Gen.Const("\"pue\": 0.5,"), Gen.Const("\"budget\": { \"co2eGrams\": -1 },"), Gen.Const("\"budget\": { \"grams\": 1 },"), Gen.Const("\"prompts2\": [],")))
        .Select((prompts, defaults, top) => "{ " + top + " \"defaults\": " + defaults + ", \"prompts\": [ " + string.Join(", ", prompts) + " ] }");

    [Fact]
    public void Compiled_check_agrees_with_njsonschema() =>
        Doc.Sample(text =>
        {
            var doc = PromptDocument.Parse(text);
            Assert.Empty(doc.SyntaxErrors);
            var ours = CompiledSchema.Check(doc.Root).Select(f => f.Span).Distinct().OrderBy(s => s.Start).ThenBy(s => s.End).ToList();
            var theirs = NJsonSchemaOracle.ValidateWithNJsonSchema(doc.Root).Select(f => f.Span).Distinct().OrderBy(s => s.Start).ThenBy(s => s.End).ToList();
            Assert.Equal(theirs, ours);
        }, iter: 500);
}
