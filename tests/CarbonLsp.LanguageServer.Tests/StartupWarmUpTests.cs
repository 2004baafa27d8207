using CarbonLsp.LanguageServer.Hosting;
using Xunit;

namespace CarbonLsp.LanguageServer.Tests;

public class StartupWarmUpTests
{
    [Fact]
    public void The_head_start_reads_a_request_and_writes_a_result_without_failing()
    {
        // It swallows failures (it is only a head start), so a change in the JSON-RPC library that broke
        // it would go unseen but for this.
        Assert.True(StartupWarmUp.Run());
    }
}
