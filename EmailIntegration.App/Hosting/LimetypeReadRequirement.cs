using EmailIntegration.Core.Crm.Schema;
using Microsoft.AspNetCore.Authorization;

namespace EmailIntegration.App.Hosting;

/// <summary>
/// The <see cref="Policies.LimetypeRead"/> policy: the route's <c>{limetype}</c> must be one the
/// user may read (<see cref="LimetypeAccess"/>). It holds for the first request (the resource is
/// the HttpContext) and for navigation inside the circuit (the router passes its RouteData).
/// </summary>
internal sealed class LimetypeReadRequirement : IAuthorizationRequirement;
