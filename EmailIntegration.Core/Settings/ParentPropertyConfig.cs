using System.Text.Json;

namespace EmailIntegration.Core.Settings;

public sealed class ParentPropertyConfig
{
    public string Property { get; set; } = "";

    public string? MessageProperty { get; set; }

    public string? SearchPath { get; set; }

    public JsonElement? Default { get; set; }
}
