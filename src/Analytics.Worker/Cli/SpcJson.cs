using Analytics.Core.Spc;

namespace Analytics.Worker.Cli;

/// <summary>The JSON shape and the terminal table of a control chart.</summary>
internal static class SpcJson
{
    public static object Chart(ControlChart chart, Capability? capability, SpecialCauseTests tests, string? calendar = null) => new
    {
        chart = chart.Name,
        calendar,
        transform = chart.Transform,
        center = chart.Center,
        sigma = chart.Sigma,
        points = Points(chart),
        dispersion = chart.Dispersion is { } d ? new { chart = d.Name, center = d.Center, points = Points(d) } : null,
        capability,
        signals = chart.Points.SelectMany(p => p.Signals.Select(s => new { t = p.Label, index = p.Index, signal = s, test = Signals.TestNumber(s), meaning = Signals.Describe(s, tests) })),
    };

    private static IEnumerable<object> Points(ControlChart chart) => chart.Points.Select(p => new
    {
        t = p.Label,
        index = p.Index,
        phase = p.PhaseOne ? "I" : "II",
        size = p.Size,
        value = p.Value,
        center = p.Center,
        lcl = p.Lcl,
        ucl = p.Ucl,
        lower = p.Lower,
        signals = p.Signals,
        original = p.Original,
    });

    public static void Print(TextWriter output, ControlChart chart, Capability? capability, SpecialCauseTests tests, string? calendar = null)
    {
        if (calendar is not null)
            output.WriteLine($"business hours on {calendar}");
        output.WriteLine($"{chart.Name} chart, transform {chart.Transform}: centre {chart.Center:G6}, σ {chart.Sigma:G6}");
        if (chart.Points.Count > 0 && chart.Points[0].Original is not null)
            output.WriteLine("values and limits shown in the data's own units (transformed back)");
        foreach (var p in chart.Points)
        {
            var mark = p.Signals.Count == 0 ? "" : "  ← " + string.Join("; ", p.Signals.Select(s => Signals.Describe(s, tests)));
            var (value, lcl, ucl) = p.Original is { } o ? (o.Value, o.Lcl, o.Ucl) : (p.Value, p.Lcl, p.Ucl);
            output.WriteLine($"{p.Index,4} {p.Label,-20} {(p.PhaseOne ? "I " : "II")} {value,12:G6}  [{lcl:G6}, {ucl:G6}]{mark}");
        }
        if (capability is { } c)
            output.WriteLine($"capability: Cp {c.Cp:F3}, Cpk {c.Cpk:F3}, Pp {c.Pp:F3}, Ppk {c.Ppk:F3}, expected {c.ExpectedPpmOverall:F0} PPM out of spec, sigma level {c.SigmaLevel:F2}");
    }
}
