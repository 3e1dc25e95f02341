using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Xuhui.Crm.Web.Shared;

/// <summary>Settings under "Crm:DataProtection": the key that encrypts the data-protection key ring stored in the database.</summary>
public sealed class KeyRingOptions
{
    /// <summary>Base64 of 32 random bytes. Required on PostgreSQL (every instance needs the same) unless <see cref="KeyEncryptionKeyFile"/> is set.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>
    /// A file holding the key (base64). Default on SQLite: keys/kek in the data directory, generated on first start.
    /// On PostgreSQL the file must exist already: it is the one shared by all instances.
    /// </summary>
    public string? KeyEncryptionKeyFile { get; set; }
}

/// <summary>
/// The key-encryption key: the cookie and antiforgery keys live in the database (so they reach every backup and every
/// instance), this key does not, so a copy of the database alone cannot forge or read them.
/// </summary>
public sealed class KeyEncryptionKey
{
    public const string Setting = "Crm:DataProtection:KeyEncryptionKey";
    public const string FileSetting = "Crm:DataProtection:KeyEncryptionKeyFile";
    public const int Size = 32;

    public KeyEncryptionKey(IOptions<CrmOptions> options, DataPaths paths)
    {
        var settings = options.Value.DataProtection;
        if (settings.KeyEncryptionKey is { Length: > 0 } configured)
        {
            Key = Parse(configured, Setting);
        }
        else if (settings.KeyEncryptionKeyFile is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file, paths.DataDirectory);
            Key = paths.IsSqlite ? ReadOrCreate(path) : Read(path);
        }
        else if (paths.IsSqlite)
        {
            Key = ReadOrCreate(DefaultFile(paths));
        }
        else
        {
            throw new InvalidOperationException(
                $"{Setting} is required with Crm:Database:Provider=Postgres: every instance must hold the same key-encryption key " +
                $"for the shared data-protection key ring (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), or set {FileSetting} to a file holding it");
        }

        Id = Convert.ToHexStringLower(SHA256.HashData(Key))[..16];
    }

    /// <summary>Where an SQLite install keeps its generated key: in the data directory, which the backups do not copy.</summary>
    public static string DefaultFile(DataPaths paths) => Path.Combine(paths.DataDirectory, "keys", "kek");

    internal byte[] Key { get; }

    /// <summary>A fingerprint (not the key), stored beside each encrypted key so a mismatch says what is wrong.</summary>
    public string Id { get; }

    private static byte[] Parse(string base64, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64: it must be base64 of {Size} random bytes");
        }

        return key.Length == Size ? key : throw new InvalidOperationException($"{source} holds {key.Length} bytes: it must be base64 of {Size} random bytes");
    }

    private static byte[] Read(string path) => File.Exists(path)
        ? Parse(File.ReadAllText(path), $"{FileSetting} ({path})")
        : throw new InvalidOperationException($"{FileSetting} names {path}, which does not exist: create it once (base64 of {Size} random bytes) where every instance reads it");

    private static byte[] ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        var directory = Path.GetDirectoryName(path)!;
        OwnerOnlyFiles.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".kek.{Guid.NewGuid():N}.tmp");
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = OwnerOnlyFiles.FileMode;
        }

        using (var stream = new FileStream(temp, streamOptions))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(Size)));
        }

        try
        {
            // Never replaces a key another process wrote first: the key ring may already be encrypted with it.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }

        OwnerOnlyFiles.RestrictFile(path);
        return Read(path);
    }
}

/// <summary>Encrypts each new data-protection key with AES-256-GCM under the key-encryption key.</summary>
public sealed class KeyRingXmlEncryptor(KeyEncryptionKey kek) : IXmlEncryptor
{
    internal static readonly XName Root = "encryptedKey";
    internal const string KekAttribute = "kek";
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(kek.Key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), Aad(kek.Id));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(
            Root,
            new XAttribute(KekAttribute, kek.Id),
            new XComment(" Encrypted (AES-256-GCM) with the key-encryption key of Crm:DataProtection, which is not in the database. "),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(KeyRingXmlDecryptor));
    }

    internal static byte[] Aad(string kekId) => Encoding.UTF8.GetBytes("Xuhui.Crm key ring/" + kekId);
}

/// <summary>
/// Created by the key manager from the type name stored with each key (hence the IServiceProvider constructor).
/// A key encrypted under another key-encryption key cannot be read: the key manager then skips it, so whatever it
/// protected (a sign-in cookie, an antiforgery token) is refused.
/// </summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var kek = services.GetRequiredService<KeyEncryptionKey>();
        var id = (string?)encryptedElement.Attribute(KeyRingXmlEncryptor.KekAttribute) ?? string.Empty;
        if (!string.Equals(id, kek.Id, StringComparison.Ordinal))
        {
            throw new CryptographicException(string.Format(
                CultureInfo.InvariantCulture,
                "this data-protection key was encrypted with another key-encryption key ({0}; this instance has {1}): check {2}",
                id,
                kek.Id,
                KeyEncryptionKey.Setting));
        }

        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? string.Empty);
        var length = sealedBytes.Length - KeyRingXmlEncryptor.NonceSize - KeyRingXmlEncryptor.TagSize;
        if (length < 0)
        {
            throw new CryptographicException("the encrypted data-protection key is truncated");
        }

        var plaintext = new byte[length];
        using (var aes = new AesGcm(kek.Key, KeyRingXmlEncryptor.TagSize))
        {
            aes.Decrypt(
                sealedBytes.AsSpan(0, KeyRingXmlEncryptor.NonceSize),
                sealedBytes.AsSpan(KeyRingXmlEncryptor.NonceSize, length),
                sealedBytes.AsSpan(KeyRingXmlEncryptor.NonceSize + length),
                plaintext,
                KeyRingXmlEncryptor.Aad(kek.Id));
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
