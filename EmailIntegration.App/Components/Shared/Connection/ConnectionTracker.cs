using Microsoft.AspNetCore.Components.Server.Circuits;

namespace EmailIntegration.App.Components.Shared.Connection;

/// <summary>Tells the circuit's <see cref="ConnectionState"/> when the browser's connection goes and comes back.</summary>
internal sealed class ConnectionTracker(ConnectionState state) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        state.OnDown();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        state.OnUp();
        return Task.CompletedTask;
    }
}
