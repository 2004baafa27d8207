namespace CarbonLsp.Generation.Random;

/// <summary>
/// numpy's legacy RandomState: MT19937 seeded with init_genrand, 53-bit doubles from two draws, and
/// the Marsaglia polar method that caches its second value. Chosen so seeds mean the same thing as
/// in diffusers' ONNX pipelines, on every platform; written from the published algorithm (MT19937 by
/// Matsumoto and Nishimura, numpy's legacy_gauss), checked against numpy's own randn(10) for seed 0.
/// </summary>
public sealed class NumpyRandom
{
    private const int N = 624, M = 397;
    private const uint MatrixA = 0x9908b0df, UpperMask = 0x80000000, LowerMask = 0x7fffffff;
    private readonly uint[] _mt = new uint[N];
    private int _index;
    private bool _hasGauss;
    private double _gauss;

    public NumpyRandom(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < N; i++) _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N)
        {
            for (var k = 0; k < N; k++)
            {
                var y = (_mt[k] & UpperMask) | (_mt[(k + 1) % N] & LowerMask);
                _mt[k] = _mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
            }
            _index = 0;
        }
        var x = _mt[_index++];
        x ^= x >> 11;
        x ^= (x << 7) & 0x9d2c5680;
        x ^= (x << 15) & 0xefc60000;
        x ^= x >> 18;
        return x;
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>A standard normal draw (numpy's legacy_gauss).</summary>
    public double NextGaussian()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            return _gauss;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>Fills a tensor with standard normal values cast to float, as np.random.randn(...).astype(float32).</summary>
    public float[] Randn(int count)
    {
        var result = new float[count];
        for (var i = 0; i < count; i++) result[i] = (float)NextGaussian();
        return result;
    }
}
