using CarbonLsp.Generation.Models;

namespace CarbonLsp.Generation.Tests;

/// <summary>The CUDA build on a machine without CUDA's libraries says once, in plain words, what is missing.</summary>
public class CudaLibrariesTests
{
    [Fact]
    public void Missing_libraries_are_named_with_what_to_install_and_that_the_cpu_is_used()
    {
        var missing = CudaLibraries.Missing(name => name.Contains("cuda.", StringComparison.Ordinal) || name == "nvcuda.dll"); // a driver, no toolkit
        Assert.DoesNotContain(CudaLibraries.Needed[0], missing);
        Assert.Contains(missing, m => m.Contains("cublasLt", StringComparison.Ordinal));
        var text = CudaLibraries.Explain(missing);
        Assert.Contains($"CUDA {CudaLibraries.CudaMajor}.x and cuDNN {CudaLibraries.CudnnMajor}", text);
        Assert.Contains("This run uses the CPU.", text);
        Assert.Contains("CPU build", text);
        Assert.Contains("no NVIDIA driver", CudaLibraries.Explain(CudaLibraries.Missing(_ => false)));
        Assert.Empty(CudaLibraries.Missing(_ => true));
    }

    [Fact]
    public void On_this_machine_the_probe_answers_without_throwing() => Assert.NotNull(CudaLibraries.Missing());
}
