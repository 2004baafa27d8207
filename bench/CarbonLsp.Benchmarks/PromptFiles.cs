using System.Text;

namespace CarbonLsp.Benchmarks;

/// <summary>Generates prompt files of a given size. <see cref="Generate"/> is a stress case: nearly
/// every prompt has a finding. <see cref="GenerateTypical"/> is closer to a designer's file: mostly
/// efficient prompts, one in fifty with something to fix.</summary>
public static class PromptFiles
{
    public static string GenerateTypical(int prompts)
    {
        var sb = new StringBuilder(prompts * 140);
        sb.Append("{\n  \"region\": \"DE\",\n  \"device\": \"nvidia-rtx-4090\",\n  \"defaults\": { \"model\": \"sdxl-turbo\", \"steps\": 1, \"guidance\": 0 },\n  \"prompts\": [\n");
        for (var i = 0; i < prompts; i++)
        {
            sb.Append("    { \"id\": \"p").Append(i).Append("\", \"prompt\": \"").Append(Subjects[i % Subjects.Length]).Append(", variation ").Append(i).Append("\", \"seed\": ").Append(i);
            if (i % 50 == 0) sb.Append(", \"steps\": 8");
            if (i % 7 == 0) sb.Append(", \"model\": \"lcm-dreamshaper-v7\", \"steps\": 4, \"guidance\": 1.5");
            sb.Append(i == prompts - 1 ? " }\n" : " },\n");
        }
        sb.Append("  ]\n}\n");
        return sb.ToString();
    }

    private static readonly string[] Models = { "sdxl", "sdxl-turbo", "sd15", "flux-dev", "sd-turbo", "ssd-1b", "pixart-sigma", "carbon-tiny" };
    private static readonly string[] Subjects = { "a lighthouse at dawn", "a red fox in snow", "a retro travel poster of Lisbon", "flat vector icon of a leaf", "a bowl of ramen, studio light" };

    public static string Generate(int prompts)
    {
        var sb = new StringBuilder(prompts * 160);
        sb.Append("{\n  \"region\": \"DE\",\n  \"device\": \"nvidia-rtx-4090\",\n  \"budget\": { \"co2eGrams\": 100 },\n  \"defaults\": { \"negativePrompt\": \"blurry\", \"precision\": \"fp16\" },\n  \"prompts\": [\n");
        for (var i = 0; i < prompts; i++)
        {
            var model = Models[i % Models.Length];
            sb.Append("    { \"id\": \"p").Append(i).Append("\", \"prompt\": \"").Append(Subjects[i % Subjects.Length]).Append(", variation ").Append(i)
              .Append("\", \"model\": \"").Append(model).Append("\", \"steps\": ").Append(i % 7 == 0 ? 80 : 25)
              .Append(", \"seed\": ").Append(i);
            if (i % 5 == 0) sb.Append(", \"width\": 1024, \"height\": 1024");
            if (i % 11 == 0) sb.Append(", \"guidance\": 7.5");
            sb.Append(i == prompts - 1 ? " }\n" : " },\n");
        }
        sb.Append("  ]\n}\n");
        return sb.ToString();
    }
}
