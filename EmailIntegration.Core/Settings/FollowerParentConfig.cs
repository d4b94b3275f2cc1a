namespace EmailIntegration.Core.Settings;

public sealed class FollowerParentConfig
{
    public string Limetype { get; set; } = "";

    public string PropertyAddress { get; set; } = "email";

    public string PropertyName { get; set; } = "name";

    public string RelationFollower { get; set; } = "follower";
}
