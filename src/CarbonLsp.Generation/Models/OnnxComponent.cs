using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CarbonLsp.Generation.Models;

/// <summary>A tensor we hand to a model: numbers plus a shape. The component casts it to whatever
/// element type the graph declares (exporters disagree: int32 or int64 ids, float or int64 timesteps,
/// fp16 or fp32 activations).</summary>
public readonly record struct TensorData(Array Values, long[] Shape)
{
    public static TensorData Of(float[] values, params long[] shape) => new(values, shape);
    public static TensorData Of(int[] values, params long[] shape) => new(values, shape);
    public static TensorData Of(double[] values, params long[] shape) => new(values, shape);
    public static TensorData Scalar(double value) => new(new[] { value }, Array.Empty<long>());

    /// <summary>The values as doubles (only used when the graph wants a type we do not hold).</summary>
    public double[] AsDoubles() => Values switch
    {
        double[] d => d,
        float[] f => Array.ConvertAll(f, v => (double)v),
        int[] i => Array.ConvertAll(i, v => (double)v),
        long[] l => Array.ConvertAll(l, v => (double)v),
        _ => throw new InvalidOperationException("Unsupported tensor values."),
    };
}

/// <summary>A model output as floats with its shape.</summary>
public sealed record TensorResult(float[] Values, long[] Shape);

/// <summary>One ONNX sub-model (text encoder, UNet, VAE decoder) in one session; inputs are built from
/// the session's own metadata.</summary>
public sealed class OnnxComponent : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxComponent(string path, SessionOptions options, string componentName)
    {
        Name = componentName;
        try { _session = new InferenceSession(path, options); }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFolderException($"{componentName} ({path}) could not be loaded by ONNX Runtime: {ex.Message.Split('\n')[0]}. The file is corrupt or from an unsupported exporter; re-download or re-export it.", ex);
        }
    }

    public string Name { get; }
    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;
    public IReadOnlyList<string> OutputNames => _session.OutputNames;
    public bool HasInput(string name) => _session.InputMetadata.ContainsKey(name);
    public int[] InputDimensions(string name) => _session.InputMetadata[name].Dimensions;
    public TensorElementType InputType(string name) => _session.InputMetadata[name].ElementDataType;

    public Dictionary<string, TensorResult> Run(IReadOnlyDictionary<string, TensorData> inputs, RunOptions runOptions, IReadOnlyList<string>? outputs = null)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, data) in inputs)
            {
                if (!_session.InputMetadata.TryGetValue(name, out var meta)) continue;
                names.Add(name);
                values.Add(Create(data, meta.ElementDataType));
            }
            var wanted = outputs ?? _session.OutputNames;
            using var results = _session.Run(runOptions, names, values, wanted);
            var map = new Dictionary<string, TensorResult>();
            for (var i = 0; i < wanted.Count; i++) map[wanted[i]] = Read(results[i]);
            return map;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>An OrtValue of the declared type. When we already hold that type the array is used in
    /// place (no copy): the conditioning and latents go to the UNet every step.</summary>
    private static OrtValue Create(TensorData d, TensorElementType type)
    {
        var shape = d.Shape;
        switch (type)
        {
            case TensorElementType.Float:
                return OrtValue.CreateTensorValueFromMemory(d.Values as float[] ?? Array.ConvertAll(d.AsDoubles(), v => (float)v), shape);
            case TensorElementType.Double:
                return OrtValue.CreateTensorValueFromMemory(d.AsDoubles(), shape);
            case TensorElementType.Float16:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(d.AsDoubles(), v => (Float16)(float)v), shape);
            case TensorElementType.BFloat16:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(d.AsDoubles(), v => (BFloat16)(float)v), shape);
            case TensorElementType.Int64:
                return OrtValue.CreateTensorValueFromMemory(d.Values as long[] ?? Array.ConvertAll(d.AsDoubles(), v => (long)Math.Round(v)), shape);
            case TensorElementType.Int32:
                return OrtValue.CreateTensorValueFromMemory(d.Values as int[] ?? Array.ConvertAll(d.AsDoubles(), v => (int)Math.Round(v)), shape);
            default:
                throw new ModelFolderException($"Input element type {type} is not supported.");
        }
    }

    private static TensorResult Read(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        float[] data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => Convert(value.GetTensorDataAsSpan<Float16>(), h => (float)h),
            TensorElementType.BFloat16 => Convert(value.GetTensorDataAsSpan<BFloat16>(), h => (float)h),
            TensorElementType.Double => Convert(value.GetTensorDataAsSpan<double>(), d => (float)d),
            var t => throw new ModelFolderException($"Output element type {t} is not supported."),
        };
        return new TensorResult(data, shape);
    }

    private static float[] Convert<T>(ReadOnlySpan<T> span, Func<T, float> f)
    {
        var result = new float[span.Length];
        for (var i = 0; i < span.Length; i++) result[i] = f(span[i]);
        return result;
    }

    public void Dispose() => _session.Dispose();
}
