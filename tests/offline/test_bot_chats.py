"""A bot-only chat ends in the offline system: its transcript arrives in the offline org once."""

from __future__ import annotations

from sccac.lambdas.contact_disconnected import COMPLETE_ATTRIBUTE
from sccac.offline.bot_chats import TRANSCRIPT_BUCKET
from sccac.offline.system import OfflineSystem

CONTACT = "0f6b1c2e-0000-4000-8000-0000000000b7"
HISTORY = "/api/v1/conversationHistory"


def test_a_bot_only_chat_arrives_in_the_org_once():
    with OfflineSystem() as system:
        first = system.bot_only_chat(CONTACT, 7)
        assert system.service is not None
        requests = len(system.service.calls(HISTORY))

        again = system.bot_only_chat(CONTACT, 7)

        assert first.status == "SUCCESS" and first.result["entriesSent"] == 7
        assert first.texts == [f"message {n} from {'customer' if n % 2 else 'custom_bot'}" for n in range(1, 8)]
        assert again.result == {"status": "ALREADY_SENT", "contactId": CONTACT, "entriesSent": 0, "batchesSent": 0}
        assert len(again.history) == 7 and len(system.service.calls(HISTORY)) == requests
        [contact] = [c for c in system.connect.instance(system.config.instance_id).contacts if c.id == CONTACT]
        assert contact.attributes[COMPLETE_ATTRIBUTE] == "true"
        assert system._bot_chats.s3.buckets[TRANSCRIPT_BUCKET]


def test_a_customer_with_a_client_id_gets_the_history_on_their_conversation():
    with OfflineSystem() as system:
        result = system.bot_only_chat(CONTACT, 3, client_id="bob@example.com")
        assert system.service is not None
        [conversation] = [c for c in system.service.conversations.values() if c.subject == "bob@example.com"]
        assert result.result["conversationIdentifier"] == conversation.identifier
        assert len(conversation.history) == len(result.history) == 3


def test_the_demo_shows_the_bot_only_chat_arriving_in_the_org(tmp_path):
    from sccac.offline.demo import run_demo

    lines: list[str] = []
    run_demo(tmp_path / "demo", echo=lines.append, svg=False)
    text = "\n".join(lines)
    assert "3b. A bot-only chat ends" in text
    assert "-> SUCCESS: 6 history entries in the org's conversation" in text
    assert "the event delivered again: ALREADY_SENT, 0 entries sent twice" in text


def test_the_demo_fails_when_the_org_holds_the_wrong_count(tmp_path, monkeypatch):
    import pytest

    from sccac.offline import demo

    monkeypatch.setattr(demo, "BOT_CHAT_MESSAGES", 5)
    real = OfflineSystem.bot_only_chat

    def short(self, contact_id, messages, client_id=None):  # the org gets one entry fewer than the chat had
        return real(self, contact_id, messages - 1, client_id)

    monkeypatch.setattr(OfflineSystem, "bot_only_chat", short)
    with pytest.raises(RuntimeError, match="bot_only_chat: expected SUCCESS and 5 history entries in the org, got SUCCESS and 4"):
        demo.run_demo(tmp_path / "demo", echo=lambda _: None, svg=False)
