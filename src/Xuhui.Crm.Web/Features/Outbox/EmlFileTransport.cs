using MimeKit;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>
/// The embedded default: with no SMTP host each message becomes {DataDirectory}/outbox/{id}.eml. The name comes from
/// the outbox id and the file is moved into place whole, so sending again after a crash overwrites rather than doubles.
/// </summary>
public sealed class EmlFileTransport(DataPaths paths) : IMailTransport
{
    public string Directory => Path.Combine(paths.DataDirectory, "outbox");

    public string Describe => $"file://{Directory}";

    public Task<IMailSession> OpenAsync(CancellationToken ct)
    {
        OwnerOnlyFiles.CreateDirectory(Directory);
        return Task.FromResult<IMailSession>(new Session(Directory));
    }

    private sealed class Session(string directory) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, long outboxId, CancellationToken ct)
        {
            var name = $"{outboxId:D8}.eml";
            var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
            // Messages carry names and addresses: owner-only whatever the umask.
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = OwnerOnlyFiles.FileMode;
            }

            await using (var stream = new FileStream(temp, streamOptions))
            {
                await message.WriteToAsync(stream, ct);
                await stream.FlushAsync(ct);
            }

            File.Move(temp, Path.Combine(directory, name), overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
