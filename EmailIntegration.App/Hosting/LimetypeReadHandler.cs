using EmailIntegration.Core.Crm.Schema;
using Microsoft.AspNetCore.Authorization;

namespace EmailIntegration.App.Hosting;

internal sealed class LimetypeReadHandler : AuthorizationHandler<LimetypeReadRequirement>
{
    public const string RouteKey = "limetype";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, LimetypeReadRequirement requirement)
    {
        var limetype = context.Resource switch
        {
            HttpContext http => http.GetRouteValue(RouteKey) as string,
            Microsoft.AspNetCore.Components.RouteData route => route.RouteValues.FirstOrDefault(v => string.Equals(v.Key, RouteKey, StringComparison.OrdinalIgnoreCase)).Value as string,
            _ => null,
        };

        // Without a limetype to judge, nothing is granted.
        if (limetype is not null && LimetypeAccess.CanRead(context.User, limetype))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
