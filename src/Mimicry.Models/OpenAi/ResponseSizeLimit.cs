namespace Mimicry.Models.OpenAi;

/// <summary>A model server's answer grew past <see cref="ResponseSizeLimit.MaxBytes"/>: the session fails, with this said.</summary>
public sealed class ResponseTooLargeException(long limit) : HttpRequestException($"the server's answer is larger than {limit / (1024 * 1024)} MiB")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Caps what one model response may hold, as it is read: a hostile or broken server cannot fill a silo's memory
/// with an endless or enormous body. Far above any chat completion (maxOutputTokens is at most 1,000,000 tokens).
/// </summary>
public sealed class ResponseSizeLimit(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const long MaxBytes = 8L * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentLength is > MaxBytes)
        {
            response.Dispose();
            throw new ResponseTooLargeException(MaxBytes);
        }
        var limited = new StreamContent(new LimitedStream(await response.Content.ReadAsStreamAsync(cancellationToken), MaxBytes));
        foreach (var header in response.Content.Headers)
        {
            limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = limited;
        return response;
    }

    private sealed class LimitedStream(Stream inner, long max) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Count(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            return _read > max ? throw new ResponseTooLargeException(max) : n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
