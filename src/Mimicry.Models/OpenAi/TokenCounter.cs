using System.Text;
using Microsoft.ML.Tokenizers;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// Counts a prompt's tokens for the context-window check, offline: OpenAI's own tokenizer (o200k_base, cl100k_base,
/// shipped in the packages) for the model names it knows; for any other model the text's UTF-8 byte count, which no
/// byte-level tokenizer (GPT, Llama 3, Qwen, Mistral's) can exceed, since every token covers at least one byte. That
/// bound is safe but about four times the real count for English: give such a model its real window.
/// </summary>
public static class TokenCounter
{
    /// <summary>Model names come from specs: bounded.</summary>
    private static readonly Mimicry.Caching.BoundedCache<Func<string, int>> Counters = new(100);

    /// <summary>The counter for <paramref name="model"/>, and whether it is the model's own tokenizer (else the byte bound).</summary>
    public static (Func<string, int> Count, bool Exact) For(string model)
    {
        var count = Counters.GetOrAdd(model, Create);
        return (count, !ReferenceEquals(count, Bytes));
    }

    private static readonly Func<string, int> Bytes = Encoding.UTF8.GetByteCount;

    private static Func<string, int> Create(string model)
    {
        try
        {
            var tokenizer = TiktokenTokenizer.CreateForModel(model);
            return text => tokenizer.CountTokens(text);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return Bytes;
        }
    }
}
