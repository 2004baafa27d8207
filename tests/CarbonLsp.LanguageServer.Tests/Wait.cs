namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Polling for conditions the server reaches on its own threads.</summary>
public static class Wait
{
    public static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestClient.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(10);
        }
    }
}
