using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail.BuiltIn;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Demo;

/// <summary>
/// The demo's customers answer: when switched on, a person's mail from a shared address (an agent's reply,
/// not an auto-reply or notification) that lands in a customer's built-in mailbox is answered by that
/// customer after <see cref="Delay"/>, in the same thread. A demo then shows live import, notifications and
/// threading with nobody typing on the customer's side.
/// </summary>
public sealed class CustomerSimulator(MailStore store, DemoMail mail, AccountService accounts, TimeProvider clock, ILogger<CustomerSimulator> logger)
{
    private static readonly string[] Answers =
    [
        "Thank you, that solved it!",
        "Thanks for the quick answer. One more question: does this apply to our second office as well?",
        "Great, I will try that this afternoon and get back to you.",
        "Thanks! It works now. Have a nice day.",
    ];

    private readonly Lock gate = new();
    private readonly HashSet<(string Address, uint Uid)> answered = [];
    private int next;
    private bool attached;

    public bool Enabled { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Starts listening to the built-in mailboxes (once).</summary>
    public void Attach()
    {
        lock (gate)
        {
            if (attached)
            {
                return;
            }

            attached = true;
        }

        store.Changed += address => _ = OnChangedAsync(address);
    }

    private async Task OnChangedAsync(string address)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            var desks = (await accounts.ListAsync()).Select(a => MailStore.Normalize(a.EmailAddress)).ToHashSet();
            if (desks.Contains(address) || await store.FolderAsync(address, MailStore.Inbox) is not { } inbox)
            {
                return;
            }

            foreach (var message in inbox.Messages.Where(m => !m.Seen))
            {
                var (from, automatic) = await mail.SenderAsync(message);
                lock (gate)
                {
                    if (automatic || !desks.Contains(MailStore.Normalize(from)) || !answered.Add((address, message.Uid)))
                    {
                        continue;
                    }
                }

                // The customer has read it; the answer follows after a while, as people do.
                await store.SetFlagsAsync(address, MailStore.Inbox, [message.Uid], [MailStore.SeenFlag], add: true);
                _ = AnswerLaterAsync(address, message.Uid);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException)
        {
            logger.LogWarning(ex, "The customer simulator could not read {Address}", address);
        }
    }

    private async Task AnswerLaterAsync(string address, uint uid)
    {
        await Task.Delay(Delay, clock);
        var text = Answers[Interlocked.Increment(ref next) % Answers.Length];
        try
        {
            await mail.ReplyAsCustomerAsync(address, uid, text);
            logger.LogInformation("Demo customer {Address} answered", address);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            logger.LogWarning(ex, "The demo customer {Address} could not answer", address);
        }
    }
}
