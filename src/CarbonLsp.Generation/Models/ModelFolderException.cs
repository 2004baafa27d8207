namespace CarbonLsp.Generation.Models;

/// <summary>A model folder that cannot be used: the message names the problem and the way out.</summary>
public sealed class ModelFolderException(string message, Exception? inner = null) : Exception(message, inner);
