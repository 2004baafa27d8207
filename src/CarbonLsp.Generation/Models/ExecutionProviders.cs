using Microsoft.ML.OnnxRuntime;

namespace CarbonLsp.Generation.Models;

/// <summary>The session options for the best execution provider this build and machine have: CUDA
/// (the cuda build on a machine with an NVIDIA GPU), DirectML (the directml build, Windows), CoreML
/// (macOS), otherwise the CPU — with one clear sentence saying which and why.</summary>
public static class ExecutionProviders
{
    public sealed record Choice(SessionOptions Options, string Provider, string Reason);

    private static readonly Lazy<IReadOnlyList<string>> s_cudaMissing = new(() => CudaLibraries.Missing());
    private static string? s_notice;
    private static int s_noticeTaken;

    /// <summary>Keeps a message the user must hear (the GPU build fell back to the CPU) for <see cref="TakeNotice"/>.</summary>
    private static string Notice(string message)
    {
        Interlocked.CompareExchange(ref s_notice, message, null);
        return message;
    }

    /// <summary>The fallback message, once per process (the CLI prints it, the editor shows it), not once per
    /// sub-model or image; null when there is none or it was already taken.</summary>
    public static string? TakeNotice() => Volatile.Read(ref s_notice) is { } n && Interlocked.Exchange(ref s_noticeTaken, 1) == 0 ? n : null;

    public static Choice Create(string? preferred = null)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Max(1, Environment.ProcessorCount),
        };
        var notes = new List<string>();
        if (preferred is null or "cuda")
        {
#if ORT_CUDA
            // Checked once per process, before ONNX Runtime tries (and prints its raw error per sub-model).
            if (s_cudaMissing.Value is { Count: > 0 } missing) notes.Add(Notice(CudaLibraries.Explain(missing)));
            else
                try
                {
                    options.AppendExecutionProvider_CUDA(0);
                    return new Choice(options, "cuda", "CUDA execution provider on GPU 0.");
                }
                catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    notes.Add(Notice($"CUDA unavailable ({ex.Message.Split('\n')[0]}). This run uses the CPU."));
                }
#else
            if (preferred == "cuda") notes.Add("this build has no CUDA provider (build with -Accelerator cuda)");
#endif
        }
        if (preferred is null or "directml")
        {
#if ORT_DIRECTML
            try
            {
                options.EnableMemoryPattern = false;
                options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
                options.AppendExecutionProvider_DML(0);
                return new Choice(options, "directml", "DirectML execution provider on adapter 0.");
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                notes.Add($"DirectML unavailable ({ex.Message.Split('\n')[0]})");
            }
#endif
        }
        if (OperatingSystem.IsMacOS() && preferred is null or "coreml")
        {
            try
            {
                options.AppendExecutionProvider_CoreML();
                return new Choice(options, "coreml", "CoreML execution provider.");
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                notes.Add($"CoreML unavailable ({ex.Message.Split('\n')[0]})");
            }
        }
        var why = notes.Count > 0 ? string.Join("; ", notes) : "this build uses the CPU package of ONNX Runtime (build with -Accelerator cuda or directml for a GPU)";
        return new Choice(options, "cpu", $"Running on the CPU: {why}.");
    }
}
