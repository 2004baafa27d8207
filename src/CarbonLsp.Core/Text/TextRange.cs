namespace CarbonLsp.Core.Text;

/// <summary>A range in line/UTF-16 character coordinates, end exclusive, as in LSP.</summary>
public readonly record struct TextRange(TextPosition Start, TextPosition End)
{
    public bool Contains(TextPosition p) => p >= Start && p <= End;
    public override string ToString() => $"{Start}-{End}";
}
