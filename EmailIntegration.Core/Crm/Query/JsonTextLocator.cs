using System.Text;
using System.Text.Json;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// Finds where a JSON path (<c>filter.exp[1].key</c>, as <see cref="QueryException.Path"/> names it) sits in
/// JSON text, so an error from the server can be shown on the line the person wrote.
/// </summary>
public static class JsonTextLocator
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// The position of the value at <paramref name="path"/>, or of its nearest enclosing value that exists.
    /// The first name may be the name the server gave the whole document (<c>filter</c>); it is skipped when the
    /// text has no such property. Null when the text has no JSON value at all.
    /// </summary>
    public static JsonTextPosition? Locate(string json, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var positions = ValuePositions(bytes);
        if (positions.Count == 0)
        {
            return null;
        }

        var segments = Segments(path);
        foreach (var candidate in new[] { segments, segments.Count > 0 && !segments[0].StartsWith('[') ? segments.Skip(1).ToList() : null })
        {
            if (candidate is null)
            {
                continue;
            }

            // The deepest enclosing value that exists: a missing "exp" still points at its expression.
            for (var length = candidate.Count; length >= 0; length--)
            {
                if (positions.TryGetValue(Join(candidate.Take(length)), out var offset))
                {
                    if (length == 0 && candidate == segments && segments.Count > 0)
                    {
                        break; // Only the root matched; the shorter candidate may do better.
                    }

                    return ToPosition(bytes, offset);
                }
            }
        }

        return ToPosition(bytes, positions[""]);
    }

    private static Dictionary<string, long> ValuePositions(byte[] bytes)
    {
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1].Name = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        continue;
                }

                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1].Index++;
                }

                positions.TryAdd(Join(frames.Select(f => f.IsArray ? $"[{f.Index}]" : f.Name ?? "")), reader.TokenStartIndex);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray });
                }
            }
        }
        catch (JsonException)
        {
            // Text being typed is often broken further down; what was read so far still places the error.
        }

        return positions;
    }

    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0 && name != "$")
            {
                segments.Add(name);
            }

            while (bracket >= 0)
            {
                var end = part.IndexOf(']', bracket);
                if (end < 0)
                {
                    break;
                }

                segments.Add(part[bracket..(end + 1)]);
                bracket = part.IndexOf('[', end);
            }
        }

        return segments;
    }

    private static string Join(IEnumerable<string> segments)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            if (builder.Length > 0 && !segment.StartsWith('['))
            {
                builder.Append('.');
            }

            builder.Append(segment);
        }

        return builder.ToString();
    }

    private static JsonTextPosition ToPosition(byte[] bytes, long offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new JsonTextPosition(line, Encoding.UTF8.GetCharCount(bytes, lineStart, (int)offset - lineStart) + 1);
    }

    private sealed class Frame
    {
        public bool IsArray { get; init; }
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
    }
}
