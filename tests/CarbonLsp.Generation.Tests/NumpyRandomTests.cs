using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Tests;

public class NumpyRandomTests
{
    [Fact]
    public void Matches_numpy_randn_for_seed_0()
    {
        // numpy.random.RandomState(0).randn(10)
        var expected = new[] { 1.76405235, 0.40015721, 0.97873798, 2.2408932, 1.86755799, -0.97727788, 0.95008842, -0.15135721, -0.10321885, 0.4105985 };
        var rng = new NumpyRandom(0);
        foreach (var e in expected) Assert.True(Math.Abs(e - rng.NextGaussian()) < 1e-7);
    }
}
