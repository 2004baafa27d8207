using CarbonLsp.Core.Estimation;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>Stands in for the workspace's ledger, which opens only when the first generation runs:
/// until then there is nothing measured to calibrate with.</summary>
public sealed class CalibrationProxy : ICalibrationSource
{
    private volatile ICalibrationSource? _inner;
    public ICalibrationSource? Inner { get => _inner; set => _inner = value; }
    public LocalCalibration? Find(string modelId, string deviceId) => _inner?.Find(modelId, deviceId);
    public long Version => _inner?.Version ?? 0;
}
