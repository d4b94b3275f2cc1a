namespace EmailIntegration.Core.Hosting;

/// <summary>
/// Where the product keeps its state: the SQLite file, the Data Protection key ring and
/// stored message bytes. Configured as <c>EmailIntegration:DataPath</c>; a relative path is
/// taken from the directory the App was started in.
/// </summary>
public sealed class DataFolderOptions
{
    public const string SectionName = "EmailIntegration";
    public const string DatabaseFileName = "emailintegration.db";

    public string DataPath { get; set; } = "data";

    public string FullDataPath => Path.GetFullPath(DataPath);

    public string DatabasePath => Path.Combine(FullDataPath, DatabaseFileName);

    public string KeyRingPath => Path.Combine(FullDataPath, "keys");

    public string ConnectionString => $"Data Source={DatabasePath};Foreign Keys=True";

    /// <summary>Creates the data folder and its sub-folders if they are missing.</summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(FullDataPath);
        Directory.CreateDirectory(KeyRingPath);
    }
}
