"""SMTP on loopback that hands each recipient to Dovecot's LMTP: the "internet" of the mail stack.

Dovecot's submission service relays here, and tests use it to deliver mail from outside.
"""
import argparse
import asyncio
import smtplib

from aiosmtpd.controller import Controller


class LmtpHandler:
    def __init__(self, lmtp_port):
        self.lmtp_port = lmtp_port

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # An address that bounces for good, so senders' handling of a 5xx reply can be tested.
        if address.split("@")[0].lower().startswith("bounce-"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Delivered on a worker thread: smtplib blocks, and senders on other connections must not wait for it.
        failures = await asyncio.to_thread(self.deliver, envelope)
        if failures:
            return "451 Delivery failed: " + "; ".join(failures)[:400]
        return "250 Delivered"

    def deliver(self, envelope):
        failures = []
        for rcpt in envelope.rcpt_tos:
            # Note: smtplib's LMTP does not read per-recipient replies; one transaction per recipient.
            try:
                with smtplib.LMTP("127.0.0.1", self.lmtp_port, local_hostname="localhost") as lmtp:
                    lmtp.sendmail(envelope.mail_from, [rcpt], envelope.original_content)
            except Exception as ex:  # noqa: BLE001 - every failure is reported to the sender
                failures.append(f"{rcpt}: {ex}")
        return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lmtp-port", type=int, required=True)
    args = parser.parse_args()
    controller = Controller(LmtpHandler(args.lmtp_port), hostname="127.0.0.1", port=args.port,
                            data_size_limit=200 * 1024 * 1024)
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
