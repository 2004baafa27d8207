namespace CarbonLsp.Grid;

/// <summary>A provider that did not give a usable answer, with a sentence a user can act on (which
/// setting to fix, when to try again). Callers fall back to the annual average and show this.</summary>
public sealed class GridProviderException(string message, Exception? inner = null) : Exception(message, inner);
