using System.Text;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// UTF-7 (RFC 2152), which old Outlook versions still send in subjects and bodies. .NET's own
/// UTF-7 is refused by <c>Encoding.GetEncoding</c> (it is marked unsafe and obsolete), and MimeKit
/// asks the platform for it, so without this provider such mail shows as "Fr+APY-sche".
/// Decoding is the point; encoding exists because an <see cref="Encoding"/> must have it.
/// </summary>
public sealed class Utf7Encoding : Encoding
{
    /// <summary>
    /// Note: not UTF-7's own 65000. The platform drops any encoding whose code page is 65000 unless unsafe
    /// UTF-7 is switched on process-wide, so this decoder answers under an unused number; MimeKit maps the
    /// charset name to whatever code page the platform reports and asks for that.
    /// </summary>
    public const int PrivateCodePage = 65099;

    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    // RFC 2152's directly encoded characters (set D and the optional set O, which senders use freely) plus space and line breaks.
    private static readonly bool[] Direct = BuildDirect();

    private static readonly sbyte[] Base64Values = BuildValues();

    public Utf7Encoding()
        : base(PrivateCodePage)
    {
    }

    public override string WebName => "utf-7";

    public override string EncodingName => "Unicode (UTF-7)";

    public override string BodyName => "utf-7";

    public override string HeaderName => "utf-7";

    public override bool IsMailNewsDisplay => true;

    public override bool IsMailNewsSave => true;

    public override int GetMaxCharCount(int byteCount) => Math.Max(byteCount, 1);

    // A character needs at most 8/3 base64 digits, plus a '+' and '-' around each run.
    public override int GetMaxByteCount(int charCount) => (charCount * 8 / 3) + (charCount * 2) + 4;

    public override int GetCharCount(byte[] bytes, int index, int count) => Decode(bytes.AsSpan(index, count), null);

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var decoded = new List<char>(byteCount);
        Decode(bytes.AsSpan(byteIndex, byteCount), decoded);
        if (decoded.Count > chars.Length - charIndex)
        {
            throw new ArgumentException("The character buffer is too small.", nameof(chars));
        }

        decoded.CopyTo(chars, charIndex);
        return decoded.Count;
    }

    public override int GetByteCount(char[] chars, int index, int count) => Encode(chars.AsSpan(index, count), null);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
    {
        var encoded = new List<byte>(charCount);
        Encode(chars.AsSpan(charIndex, charCount), encoded);
        if (encoded.Count > bytes.Length - byteIndex)
        {
            throw new ArgumentException("The byte buffer is too small.", nameof(bytes));
        }

        encoded.CopyTo(bytes, byteIndex);
        return encoded.Count;
    }

    /// <summary>
    /// Decodes into <paramref name="output"/> (or only counts). A shift sequence starts with '+', holds
    /// modified base64 of UTF-16 code units and ends at '-' (absorbed) or any other non-base64 byte;
    /// "+-" is a plus sign. Leftover bits of a run are dropped, as the RFC says; bytes above 127 pass as Latin-1.
    /// </summary>
    private static int Decode(ReadOnlySpan<byte> bytes, List<char>? output)
    {
        var count = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i++];
            if (b != '+')
            {
                output?.Add((char)b);
                count++;
                continue;
            }

            if (i < bytes.Length && bytes[i] == '-')
            {
                output?.Add('+');
                count++;
                i++;
                continue;
            }

            var bits = 0;
            var bitCount = 0;
            while (i < bytes.Length && bytes[i] < 128 && Base64Values[bytes[i]] >= 0)
            {
                bits = (bits << 6) | (byte)Base64Values[bytes[i++]];
                bitCount += 6;
                if (bitCount >= 16)
                {
                    bitCount -= 16;
                    output?.Add((char)((bits >> bitCount) & 0xFFFF));
                    count++;
                }
            }

            if (i < bytes.Length && bytes[i] == '-')
            {
                i++;
            }
        }

        return count;
    }

    private static int Encode(ReadOnlySpan<char> chars, List<byte>? output)
    {
        var count = 0;
        var i = 0;
        while (i < chars.Length)
        {
            var c = chars[i];
            if (c < 128 && Direct[c])
            {
                output?.Add((byte)c);
                count++;
                i++;
                continue;
            }

            if (c == '+')
            {
                output?.Add((byte)'+');
                output?.Add((byte)'-');
                count += 2;
                i++;
                continue;
            }

            output?.Add((byte)'+');
            count++;
            var bits = 0;
            var bitCount = 0;
            while (i < chars.Length && !(chars[i] < 128 && (Direct[chars[i]] || chars[i] == '+')))
            {
                bits = (bits << 16) | chars[i++];
                bitCount += 16;
                while (bitCount >= 6)
                {
                    bitCount -= 6;
                    output?.Add((byte)Base64Alphabet[(bits >> bitCount) & 0x3F]);
                    count++;
                }
            }

            if (bitCount > 0)
            {
                output?.Add((byte)Base64Alphabet[(bits << (6 - bitCount)) & 0x3F]);
                count++;
            }

            // Always closed, so a following character that is a base64 digit is never swallowed.
            output?.Add((byte)'-');
            count++;
        }

        return count;
    }

    private static bool[] BuildDirect()
    {
        var direct = new bool[128];
        foreach (var c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'(),-./:? \t\r\n!\"#$%&*;<=>@[]^_`{|}")
        {
            direct[c] = true;
        }

        return direct;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var v = 0; v < Base64Alphabet.Length; v++)
        {
            values[Base64Alphabet[v]] = (sbyte)v;
        }

        return values;
    }

    /// <summary>Serves UTF-7 by code page and by its names; registered beside the legacy code pages.</summary>
    public sealed class Provider : EncodingProvider
    {
        private static readonly Utf7Encoding Instance = new();

        public override Encoding? GetEncoding(int codepage) => codepage == PrivateCodePage ? Instance : null;

        public override Encoding? GetEncoding(string name) =>
            name.Trim().ToLowerInvariant() is "utf-7" or "utf7" or "unicode-1-1-utf-7" or "unicode-2-0-utf-7" or "x-unicode-1-1-utf-7"
                or "x-unicode-2-0-utf-7" or "csunicode11utf7"
                ? Instance
                : null;
    }
}
