using Mimicry.Tripwires;
using Mimicry.Tripwires.Learned;

namespace Mimicry.Benchmarks;

/// <summary>
/// <c>--train-tripwires</c>: trains the shipped classifiers from the development sets (<see cref="LearnedTripwireRecipe"/>)
/// and writes them into src/Mimicry.Core/Tripwires/Learned/, printing what each batch scores with a model that did not
/// learn from it. Deterministic: run it twice, get the same files. Never reads the held-back sets.
/// </summary>
internal static class TripwireTraining
{
    private static bool Patterns(CorpusText t) => FutureLeakage.Check(t.Text, t.Anchor, null).Tripped || ReaderDirected.Check(t.Text, null).Tripped;

    public static int Run()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Mimicry.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("run inside the repository (Mimicry.sln not found above the benchmark)");
        }
        var development = LearnedTripwireRecipe.ReadDevelopment(Path.Combine(root, "tests", "tripwire-corpus"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (reader, future) = LearnedTripwireRecipe.Train(development);
        var folder = Path.Combine(root, "src", "Mimicry.Core", "Tripwires", "Learned");
        foreach (var (name, model) in new[] { (LearnedScreen.ReaderModel, reader), (LearnedScreen.FutureModel, future) })
        {
            using (var file = File.Create(Path.Combine(folder, name)))
            {
                model.Write(file);
            }
            Console.WriteLine($"{name}: threshold {model.Threshold:F3}, {new FileInfo(Path.Combine(folder, name)).Length / 1024} KiB");
        }
        Console.WriteLine($"trained on {development.Count} development texts ({string.Join(", ", LearnedTripwireRecipe.DevelopmentSets)}) in {started.Elapsed.TotalSeconds:F1} s");

        // Each batch scored by models that did not learn from it, beside the patterns alone (which were written
        // from dev and dev2, so on those two they read high).
        var learned = LearnedTripwireRecipe.OutOfBatchTrips(development);
        Console.WriteLine("out of batch             patterns only                 patterns + learned");
        Console.WriteLine("batch      category      caught / flagged              caught / flagged");
        foreach (var batch in development.GroupBy(d => d.Batch))
        {
            foreach (var category in new[] { "future", "reader", "benign" })
            {
                var texts = batch.Where(d => d.Text.Category == category).Select(d => d.Text).ToList();
                if (texts.Count == 0)
                {
                    continue;
                }
                var patterns = texts.Count(t => Patterns(t));
                var both = texts.Count(t => Patterns(t) || learned.Contains(t.Id));
                Console.WriteLine($"{batch.Key,-10} {category,-8} {patterns,8} / {texts.Count,-4} {100.0 * patterns / texts.Count,5:F1} %        {both,8} / {texts.Count,-4} {100.0 * both / texts.Count,5:F1} %");
            }
        }
        // Totals over the training batches (dev and dev2 left out: the patterns were written from them).
        var training = development.Where(d => d.Batch.StartsWith("train-", StringComparison.Ordinal)).Select(d => d.Text).ToList();
        void Total(string what, List<CorpusText> texts)
        {
            var caught = texts.Count(t => Patterns(t) || learned.Contains(t.Id));
            Console.WriteLine($"{what,-34} {caught,5} / {texts.Count,-5} {100.0 * caught / Math.Max(1, texts.Count),5:F1} %");
        }
        Total("all training batches: trips", [.. training.Where(t => t.ShouldTrip)]);
        Total("  of them told from later", [.. training.Where(t => LearnedTripwireRecipe.ToldFromLater.Contains(t.Subcategory))]);
        Total("  benign flagged", [.. training.Where(t => !t.ShouldTrip)]);
        return 0;
    }
}
