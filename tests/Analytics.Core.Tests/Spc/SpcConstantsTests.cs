using System.Text.Json;
using Analytics.Core.Spc;
using Analytics.Testing;

namespace Analytics.Core.Tests.Spc;

/// <summary>d2, d3 and c4 for n = 2..25 equal the tables R's qcc 2.7 uses (../shared/spc-reference/constants.qcc.json).</summary>
public sealed class SpcConstantsTests
{
    [Fact]
    public void D3OfTwoIsTheHalfNormalStandardDeviation() =>
        // R of two normal observations is |X1 − X2| ~ half-normal with scale σ√2: Var = 2 − 4/π.
        Assert.Equal(Math.Sqrt(2 - 4 / Math.PI), SpcConstants.D3Exact(2), 9);

    [Fact]
    public void ConstantsMatchQccTables()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Shared, "spc-reference", "constants.qcc.json")));
        var rows = doc.RootElement.GetProperty("table").EnumerateArray().ToList();
        Assert.Equal(24, rows.Count);
        foreach (var row in rows)
        {
            var n = row.GetProperty("n").GetInt32();
            Assert.Equal(row.GetProperty("d2").GetDouble(), SpcConstants.D2(n), 12);
            Assert.Equal(row.GetProperty("d3").GetDouble(), SpcConstants.D3(n), 12);
            Assert.Equal(row.GetProperty("c4").GetDouble(), SpcConstants.C4(n), 12);
            Assert.Equal(row.GetProperty("script_d2_exact").GetDouble(), SpcConstants.D2Exact(n), 9);
            // The published d3 table agrees with the integral to within 5e-5 (the table carries small errors in the 5th–6th decimal).
            Assert.True(Math.Abs(SpcConstants.D3(n) - SpcConstants.D3Exact(n)) < 5e-5, $"d3({n}): table {SpcConstants.D3(n)} vs integral {SpcConstants.D3Exact(n)}");
        }
    }
}
