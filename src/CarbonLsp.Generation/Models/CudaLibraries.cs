using System.Runtime.InteropServices;

namespace CarbonLsp.Generation.Models;

/// <summary>Whether this machine has what the CUDA build's ONNX Runtime loads, checked before asking for the
/// CUDA provider. Without the check ONNX Runtime printed its raw error once per sub-model ("Failed to load
/// library libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file")
/// and ran on the CPU without a word.</summary>
public static class CudaLibraries
{
    /// <summary>The CUDA major version of the Microsoft.ML.OnnxRuntime.Gpu package we build with (1.31; its
    /// provider links libcublasLt.so.13, as its error on a machine without CUDA names), and cuDNN's.</summary>
    public const int CudaMajor = 13;
    public const int CudnnMajor = 9;

    /// <summary>The driver, then the CUDA and cuDNN libraries, as the loader names them on this OS.</summary>
    public static IReadOnlyList<string> Needed => OperatingSystem.IsWindows()
        ? new[] { "nvcuda.dll", $"cudart64_{CudaMajor}.dll", $"cublasLt64_{CudaMajor}.dll", $"cudnn64_{CudnnMajor}.dll" }
        : new[] { "libcuda.so.1", $"libcudart.so.{CudaMajor}", $"libcublasLt.so.{CudaMajor}", $"libcudnn.so.{CudnnMajor}" };

    /// <summary>The needed libraries this machine cannot load (none: the CUDA provider can start).</summary>
    public static IReadOnlyList<string> Missing(Func<string, bool>? canLoad = null)
    {
        canLoad ??= static name =>
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) return false;
            NativeLibrary.Free(handle);
            return true;
        };
        return Needed.Where(n => !canLoad(n)).ToList();
    }

    /// <summary>One plain sentence: what is missing, what to install or which build to use, and that this run uses the CPU.</summary>
    public static string Explain(IReadOnlyList<string> missing)
    {
        var driver = missing.Contains(Needed[0]);
        var what = driver
            ? "no NVIDIA driver was found (" + Needed[0] + "): install the NVIDIA driver, then"
            : $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not installed: install";
        return $"The CUDA build cannot use the GPU: {what} CUDA {CudaMajor}.x and cuDNN {CudnnMajor} (what this build's ONNX Runtime needs), " +
               "or use the CPU build (build.ps1 without -Accelerator cuda). This run uses the CPU.";
    }
}
