"""WhatsApp Cloud API channel: our own webhook receiver, durable inbox/outbox and sender.

We do not use pywa for the inbound side: pywa 4.5.0 dispatches only the first update of a
batched POST (david-lev/pywa#229) and keeps its dedup set in memory; see docs/whatsapp.md.
"""
