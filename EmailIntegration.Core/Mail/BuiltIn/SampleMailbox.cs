using MimeKit;
using MimeKit.Utils;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// The demo's sample mailbox: about fifty messages a support desk gets in a week, written for this
/// product (threads with follow-ups, Swedish, English and Japanese, attachments, an inline image, an
/// auto-reply, a bounce and a forwarded mail). Delivered into the built-in INBOX, they are imported
/// through the real pipeline like any mail.
/// </summary>
public static class SampleMailbox
{
    private sealed record Thread(string Name, string Address, string Subject, string[] Texts, string? Attachment = null, string[]? Cc = null);

    private static readonly Thread[] Threads =
    [
        new("Anna Lindqvist", "anna.lindqvist@nordicbikes.example", "Skrivaren skriver inte ut fakturor",
            ["Hej!\n\nSedan i morse skriver skrivaren i butiken inte ut några fakturor. Den blinkar orange.\n\nMvh Anna", "Hej igen,\n\nVi har startat om den två gånger utan resultat. Kan ni ringa mig på 070-123 45 67?\n\n/Anna", "Nu fungerar det! Det var ett papper som fastnat. Tack för hjälpen."]),
        new("Tom Baker", "tom.baker@harbourfoods.example", "Invoice 2026-1183 charged twice",
            ["Hello,\n\nOur card was charged twice for invoice 2026-1183 (EUR 1,240.00). Could you refund one of the payments?\n\nBest regards,\nTom Baker\nHarbour Foods", "Hi again, any news on this? Our accountant is closing the month on Friday.\n\nTom"],
            Attachment: "bank-statement-november.pdf"),
        new("田中 さくら", "sakura.tanaka@kaizen-tools.example", "ログインできません",
            ["お世話になっております。\n\n今朝からポータルにログインできません。パスワードをリセットしてもエラーが表示されます。\n\nよろしくお願いいたします。\n田中", "追加情報です。エラーメッセージは「アカウントがロックされています」です。"]),
        new("Lars Eriksson", "lars@eriksson-bygg.example", "Offert på 40 licenser",
            ["Hej,\n\nVi vill utöka till 40 licenser från januari. Kan ni skicka en offert med årspris?\n\nLars Eriksson\nEriksson Bygg AB", "Hej, en fråga till: ingår utbildning för nya användare i priset?", "Tack, offerten ser bra ut. Vi återkommer med underskrift nästa vecka."],
            Cc: ["ekonomi@eriksson-bygg.example"]),
        new("Maria Gonzalez", "maria.gonzalez@sunrise-hotels.example", "Booking widget shows wrong currency",
            ["Hi team,\n\nSince yesterday's update the booking widget on our Lisbon site shows prices in USD instead of EUR. Screenshot attached.\n\nThanks,\nMaria", "It also happens on the Porto site now.", "Confirmed fixed on both sites, thank you!"],
            Attachment: "widget-currency.png"),
        new("Peter Novak", "p.novak@alpine-logistics.example", "API rate limit during peak hours",
            ["Hello,\n\nBetween 08:00 and 09:00 CET our integration gets HTTP 429 from your API roughly every third call. We send about 20 requests per second. Is there a way to raise the limit for our account?\n\nRegards,\nPeter Novak", "We have now added a retry with backoff, but the delays are still too long for our drivers."]),
        new("Eva Holm", "eva.holm@kommunen.example", "Tillgänglighet i formulären",
            ["Hej!\n\nEn av våra medarbetare använder skärmläsare och kan inte fylla i ärendeformuläret: fälten saknar etiketter. Kan ni titta på det?\n\nVänliga hälsningar\nEva Holm"]),
        new("James O'Connor", "james.oconnor@greenleaf.example", "Cancel our subscription",
            ["Hi,\n\nWe would like to cancel our subscription at the end of the current term. Please confirm the last billing date.\n\nJames", "Thanks. Could you also export all our data before the account is closed?"]),
        new("鈴木 健太", "kenta.suzuki@sakura-trading.example", "請求書の宛名変更のお願い",
            ["いつもお世話になっております。\n\n来月から請求書の宛名を「株式会社さくら商事 経理部」に変更していただけますでしょうか。\n\n鈴木"]),
        new("Sofia Berg", "sofia.berg@designbyran.example", "Exporten till Excel saknar kolumner",
            ["Hej,\n\nNär jag exporterar ärendelistan till Excel saknas kolumnerna Ansvarig och Status. Bifogar filen.\n\n/Sofia", "Det gäller även exporten av kontakter."],
            Attachment: "export-arenden.xlsx"),
        new("Oliver Smith", "oliver@brightside-dental.example", "SMS reminders not sent",
            ["Hello,\n\nNone of our patients received SMS reminders for tomorrow's appointments. The log says \"queued\" for all of them.\n\nOliver Smith\nBrightside Dental", "They all went out at 14:05 now, thanks for the quick fix."]),
        new("Karin Johansson", "karin.j@fastighet-ab.example", "Ny användare: Johan Ek",
            ["Hej,\n\nKan ni lägga upp en användare för vår nya förvaltare Johan Ek, johan.ek@fastighet-ab.example? Han ska ha samma behörighet som jag.\n\nTack!\nKarin"]),
        new("Ahmed Hassan", "ahmed.hassan@citycab.example", "Drivers cannot upload receipts",
            ["Hi,\n\nSince this morning our drivers get \"upload failed\" when they attach a receipt photo in the app. Example receipt attached.\n\nAhmed", "Update: it works on Wi-Fi but not on mobile data.", "Still failing for about half of the drivers."],
            Attachment: "receipt-example.jpg"),
        new("Nina Petrova", "nina.petrova@lumen-labs.example", "GDPR: request for data processing agreement",
            ["Dear support,\n\nOur legal team asks for your current data processing agreement and the list of sub-processors. Could you send both?\n\nKind regards,\nNina Petrova"]),
        new("Erik Nilsson", "erik.nilsson@skogsmaskiner.example", "Leveransdatum för reservdelar",
            ["Hej,\n\nNär kan vi räkna med leverans av reservdelarna i order 7741? Maskinen står still.\n\nErik", "Hej igen, vi behöver besked före fredag annars hyr vi en ersättningsmaskin.", "Tack, delarna kom i dag."]),
        new("Chloe Martin", "chloe.martin@atelier-lumiere.example", "Two-factor codes arrive late",
            ["Hello,\n\nThe two-factor codes reach our team several minutes late, so they have expired when they arrive. Is there an alternative such as an authenticator app?\n\nChloé", "We switched two users to the authenticator app and that works well. Can we make it the default?"]),
        new("山本 直樹", "naoki.yamamoto@fuji-systems.example", "データのエクスポートについて",
            ["お世話になっております。\n\n過去3年分のチケットデータをCSVでエクスポートする方法を教えていただけますか。\n\n山本", "ありがとうございます。無事にエクスポートできました。"]),
        new("Daniel Kowalski", "daniel.kowalski@vistula-print.example", "Webhook retries flood our endpoint",
            ["Hi,\n\nWhen our endpoint was down for ten minutes yesterday, your webhook retried several thousand times in the following minute. Can the retries be spaced out?\n\nDaniel", "Logs attached for the incident window."],
            Attachment: "webhook-incident.log"),
        new("Linnea Ström", "linnea.strom@vardcentralen.example", "Fel tidszon i kalendern",
            ["Hej!\n\nAlla bokningar visas en timme fel sedan vintertid infördes. Gäller både webben och appen.\n\nLinnea", "Vi har kontrollerat inställningarna: tidszonen står på Europe/Stockholm.", "Nu stämmer tiderna igen, tack!"]),
        new("Priya Sharma", "priya.sharma@oakridge-school.example", "Bulk import of 600 students failed",
            ["Hello,\n\nThe bulk import of our 600 students stops at row 212 with \"invalid date\". The file is attached.\n\nPriya", "Row 212 has the date 29/02/2011, which does not exist. Sorry about that! The rest imported fine after fixing it."],
            Attachment: "students-2026.csv"),
    ];

    /// <summary>The sample messages as raw bytes, as a server stores them.</summary>
    public static IReadOnlyList<byte[]> Raw(string desk, string deskName, DateTimeOffset now) =>
        Messages(desk, deskName, now).Select(m =>
        {
            using var stream = new MemoryStream();
            m.WriteTo(FormatOptions.Default, stream);
            return stream.ToArray();
        }).ToList();

    /// <summary>The sample messages as they would arrive at <paramref name="desk"/>, the newest about <paramref name="now"/>.</summary>
    public static IReadOnlyList<MimeMessage> Messages(string desk, string deskName, DateTimeOffset now)
    {
        var messages = new List<MimeMessage>();
        var minutes = 0;
        foreach (var thread in Threads.Reverse())
        {
            MimeMessage? previous = null;
            for (var i = 0; i < thread.Texts.Length; i++)
            {
                var message = Message(thread.Name, thread.Address, desk, deskName, previous is null ? thread.Subject : ReplySubject(thread.Subject), thread.Texts[i], now.AddMinutes(-(6 * 24 * 60) + (minutes += 97)));
                foreach (var cc in thread.Cc ?? [])
                {
                    message.Cc.Add(MailboxAddress.Parse(cc));
                }

                if (previous is not null)
                {
                    message.InReplyTo = previous.MessageId;
                    message.References.AddRange(previous.References);
                    message.References.Add(previous.MessageId!);
                }
                else if (thread.Attachment is { } file)
                {
                    Attach(message, file);
                }

                messages.Add(message);
                previous = message;
            }
        }

        messages.Add(InlineImage(desk, deskName, now.AddHours(-20)));
        messages.Add(AutoReply(desk, deskName, now.AddHours(-16)));
        messages.Add(Bounce(desk, now.AddHours(-12)));
        messages.Add(Forwarded(desk, deskName, now.AddHours(-8)));
        messages.AddRange(Newsletter(desk, deskName, now));
        return messages.OrderBy(m => m.Date).ToList();
    }

    private static MimeMessage Message(string name, string address, string desk, string deskName, string subject, string text, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(name, address));
        message.To.Add(new MailboxAddress(deskName, desk));
        message.Subject = subject;
        message.Date = date;
        message.MessageId = MimeUtils.GenerateMessageId(address[(address.IndexOf('@') + 1)..]);
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private static string ReplySubject(string subject) => (subject.Any(c => c > 0x3000) ? "Re: " : subject.StartsWith("Off", StringComparison.Ordinal) || subject.Contains(" på ", StringComparison.Ordinal) || subject.Contains("Ny ", StringComparison.Ordinal) ? "Sv: " : "Re: ") + subject;

    private static void Attach(MimeMessage message, string fileName)
    {
        var body = new BodyBuilder { TextBody = (message.Body as TextPart)?.Text ?? "" };
        var content = fileName.EndsWith(".png", StringComparison.Ordinal) || fileName.EndsWith(".jpg", StringComparison.Ordinal)
            ? SamplePixel
            : System.Text.Encoding.UTF8.GetBytes($"Sample file {fileName} for the demo.\n");
        body.Attachments.Add(fileName, content);
        message.Body = body.ToMessageBody();
    }

    /// <summary>A one-pixel PNG, so image attachments render without shipping pictures.</summary>
    private static readonly byte[] SamplePixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static MimeMessage InlineImage(string desk, string deskName, DateTimeOffset date)
    {
        var message = Message("Grace Liu", "grace.liu@northwind-retail.example", desk, deskName, "Label printer output is cut off", "", date);
        var body = new BodyBuilder();
        var image = body.LinkedResources.Add("label.png", SamplePixel);
        image.ContentId = MimeUtils.GenerateMessageId();
        body.HtmlBody = $"<p>Hi,</p><p>The shipping labels are cut off on the right side, see below:</p><p><img src=\"cid:{image.ContentId}\" alt=\"label\" width=\"120\"></p><p>Grace</p>";
        body.TextBody = "Hi,\n\nThe shipping labels are cut off on the right side (picture in the HTML version).\n\nGrace";
        message.Body = body.ToMessageBody();
        return message;
    }

    private static MimeMessage AutoReply(string desk, string deskName, DateTimeOffset date)
    {
        var message = Message("Robert Fischer", "robert.fischer@fischer-maschinen.example", desk, deskName, "Automatic reply: Your ticket about the spare parts order",
            "Thank you for your message. I am out of the office until 8 December with no access to e-mail. For urgent matters contact service@fischer-maschinen.example.", date);
        message.Headers.Add("Auto-Submitted", "auto-replied");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        return message;
    }

    private static MimeMessage Bounce(string desk, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", "mailer-daemon@mx.example"));
        message.To.Add(MailboxAddress.Parse(desk));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Date = date;
        message.MessageId = MimeUtils.GenerateMessageId("mx.example");
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "This is the mail system at host mx.example.\n\nYour message could not be delivered to <old.contact@closedshop.example>: the mailbox does not exist." },
            new MimePart("message", "delivery-status") { Content = new MimeContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes("Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; old.contact@closedshop.example\nAction: failed\nStatus: 5.1.1\n"))) },
        };
        message.Body = report;
        return message;
    }

    private static MimeMessage Forwarded(string desk, string deskName, DateTimeOffset date)
    {
        var original = Message("Hannah Weber", "hannah.weber@kunde.example", "sales@northwind-retail.example", "Sales", "Reklamation Bestellung 55812",
            "Guten Tag,\n\ndie gelieferten Regale sind beschädigt. Bitte um Rückruf.\n\nHannah Weber", date.AddHours(-3));
        var message = Message("Grace Liu", "grace.liu@northwind-retail.example", desk, deskName, "Fwd: Reklamation Bestellung 55812",
            "Forwarding a customer complaint that reached our sales address. Could you take it over?\n\nGrace", date);
        var body = new Multipart("mixed") { message.Body!, new MessagePart { Message = original } };
        message.Body = body;
        return message;
    }

    private static IEnumerable<MimeMessage> Newsletter(string desk, string deskName, DateTimeOffset now)
    {
        for (var week = 3; week >= 1; week--)
        {
            var message = Message("Status Updates", "status@cloudhost.example", desk, deskName, $"Scheduled maintenance, week {49 - week}",
                $"Planned maintenance of the EU-North cluster on Sunday 02:00–04:00 UTC. No action needed.\n\nThis message was sent automatically.", now.AddDays(-week * 2));
            message.Headers.Add("Auto-Submitted", "auto-generated");
            message.Headers.Add("List-Unsubscribe", "<mailto:unsubscribe@cloudhost.example>");
            yield return message;
        }
    }
}
