"""The transcript conversion, message type by message type, and the batching into history requests."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from sccac.lambdas.history import MAX_ENTRIES, MAX_PARTICIPANTS, batches
from sccac.lambdas.transcript import INTERACTIVE, INTERACTIVE_RESPONSE, JOINED, LEFT, convert, timestamp_ms
from sccac.testing.transcripts import BOT_PARTICIPANT, item, utc

AT = utc("2026-12-02T10:00:00")
CONTACT = "1846d424-c17c-4279-a3c6-612f48268673"
CLIENT = "customer-7"
CHANNEL = "7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"


def one(entry_item: dict) -> tuple[list, dict]:
    result = convert({"Transcript": [entry_item]}, CLIENT, CONTACT)
    return [(e.sender.role, e.sender.subject, e.text) for e in result.entries], dict(result.not_converted)


def test_plain_text_from_the_customer_is_an_end_user_message():
    entries, skipped = one(item("MESSAGE", "CUSTOMER", AT, content="Where is my order?"))
    assert entries == [("EndUser", CLIENT, "Where is my order?")] and skipped == {}


def test_markdown_from_the_bot_is_a_chatbot_message_as_written():
    entries, _ = one(item("MESSAGE", "CUSTOM_BOT", AT, content="**Hello**", content_type="text/markdown"))
    assert entries == [("Chatbot", BOT_PARTICIPANT, "**Hello**")]


def test_a_system_message_is_a_chatbot_message_even_without_a_participant_id():
    raw = item("MESSAGE", "SYSTEM", AT, content="You are next in line.")
    del raw["ParticipantId"]
    entries, _ = one(raw)
    [(role, subject, text)] = entries
    assert (role, text) == ("Chatbot", "You are next in line.") and subject  # a stable stand-in subject
    assert one(raw)[0][0][1] == subject


def test_an_interactive_list_picker_becomes_its_title_and_options():
    content = json.dumps({"templateType": "ListPicker", "version": "1.0", "data": {"content": {
        "title": "What can I help with?", "subtitle": "Pick one",
        "elements": [{"title": "Orders"}, {"title": "Billing"}, {"nope": 1}]}}})
    entries, _ = one(item("MESSAGE", "CUSTOM_BOT", AT, content=content, content_type=INTERACTIVE))
    assert entries[0][2] == "What can I help with?\nPick one\n- Orders\n- Billing"


def test_the_customers_answer_to_an_interactive_message_is_the_chosen_title():
    content = json.dumps({"templateType": "ListPicker", "version": "1.0", "data": {"content": {"title": "Billing"}}})
    entries, _ = one(item("MESSAGE", "CUSTOMER", AT, content=content, content_type=INTERACTIVE_RESPONSE))
    assert entries == [("EndUser", CLIENT, "Billing")]


def test_an_interactive_message_that_is_not_json_is_counted_not_sent():
    entries, skipped = one(item("MESSAGE", "CUSTOM_BOT", AT, content="{oops", content_type=INTERACTIVE))
    assert entries == [] and skipped == {f"MESSAGE {INTERACTIVE}": 1}


def test_an_attachment_becomes_a_line_naming_the_file():
    attachments = [{"AttachmentId": "a1", "AttachmentName": "receipt.pdf", "ContentType": "application/pdf",
                    "Status": "APPROVED"},
                   {"AttachmentId": "a2", "AttachmentName": "virus.exe", "ContentType": "application/octet-stream",
                    "Status": "REJECTED"}]
    raw = item("ATTACHMENT", "CUSTOMER", AT, content_type="application/pdf", Attachments=attachments)
    entries, _ = one(raw)
    assert entries[0][2] == ("[Attachment: receipt.pdf (application/pdf)]\n"
                             "[Attachment: virus.exe (application/octet-stream, rejected)]")


def test_joined_and_left_events_become_the_participants_times_not_entries():
    result = convert({"Transcript": [
        item("EVENT", "CUSTOMER", AT, content_type=JOINED),
        item("MESSAGE", "CUSTOMER", AT + timedelta(seconds=5), content="hi"),
        item("EVENT", "CUSTOMER", AT + timedelta(seconds=9), content_type=LEFT),
    ]}, CLIENT, CONTACT)
    assert len(result.entries) == 1 and result.not_converted_count == 0
    participant = result.conversation_participant(result.end_user)
    assert participant["joinedTime"] == timestamp_ms("2026-12-02T10:00:00.000Z")
    assert participant["leftTime"] - participant["joinedTime"] == 9000


@pytest.mark.parametrize("event", ["typing", "message.delivered", "message.read", "chat.ended"])
def test_typing_and_receipts_are_skipped_without_being_counted(event):
    result = convert({"Transcript": [item("EVENT", "CUSTOMER", AT,
                                          content_type=f"application/vnd.amazonaws.connect.event.{event}")]},
                     CLIENT, CONTACT)
    assert result.entries == [] and result.not_converted_count == 0 and result.not_content == 1


@pytest.mark.parametrize(("raw", "kind"), [
    (item("MESSAGE", "AGENT", AT, content="agent text"), "MESSAGE text/plain role AGENT"),
    (item("MESSAGE", "CUSTOMER", AT, content="x", content_type="application/json"), "MESSAGE application/json"),
    (item("MESSAGE", "CUSTOMER", AT, content="   "), "MESSAGE text/plain"),
    (item("MESSAGE", "CUSTOMER", AT, content="x", AbsoluteTime="yesterday"), "MESSAGE text/plain"),
    (item("EVENT", "CUSTOMER", AT, content_type="application/vnd.amazonaws.connect.event.transfer.succeeded"),
     "EVENT application/vnd.amazonaws.connect.event.transfer.succeeded"),
    (item("MESSAGEMETADATA", "CUSTOMER", AT), "MESSAGEMETADATA text/plain"),
])
def test_what_cannot_be_converted_is_counted_by_kind_never_by_text(raw, kind):
    entries, skipped = one(raw)
    assert entries == [] and skipped == {kind: 1}
    assert "agent text" not in json.dumps(skipped)


def test_a_document_without_a_transcript_list_counts_once():
    result = convert({"Something": []}, CLIENT, CONTACT)
    assert result.entries == [] and result.not_converted_count == 1


def test_entry_ids_are_connects_ids_and_stable():
    raw = item("MESSAGE", "CUSTOMER", AT, content="hi")
    first = convert({"Transcript": [raw]}, CLIENT, CONTACT).entries[0].as_conversation_entry()
    again = convert({"Transcript": [raw]}, CLIENT, CONTACT).entries[0].as_conversation_entry()
    assert first == again and first["entryPayload"]["id"] == raw["Id"]
    assert first["entryPayload"]["abstractMessage"]["id"] != raw["Id"]
    assert first["clientTimestamp"] == timestamp_ms("2026-12-02T10:00:00.000Z")


def _chat(senders: list[str]) -> list[dict]:
    return [item("MESSAGE", "CUSTOMER" if s == "customer" else "CUSTOM_BOT", AT + timedelta(seconds=n),
                 content=f"m{n}", participant=None if s in ("customer", "bot") else s)
            for n, s in enumerate(senders)]


def test_12_entries_make_3_requests_each_carrying_the_end_user():
    conversion = convert({"Transcript": _chat(["customer", "bot"] * 6)}, CLIENT, CONTACT)
    requests = batches(conversion, CHANNEL, CONTACT)
    assert [len(b.body["conversationEntries"]) for b in requests] == [5, 5, 2]
    for b in requests:
        assert b.body["conversationParticipants"][0]["participant"]["role"] == "EndUser"
        assert b.body["channelAddressIdentifier"] == CHANNEL
    assert len({b.request_id for b in requests}) == 3


def test_a_fourth_participant_starts_a_new_request():
    bots = ["b0000000-0000-4000-8000-00000000000" + str(n) for n in range(1, 4)]
    conversion = convert({"Transcript": _chat(["customer", bots[0], bots[1], bots[2]])}, CLIENT, CONTACT)
    requests = batches(conversion, CHANNEL, CONTACT)
    assert [len(b.body["conversationEntries"]) for b in requests] == [3, 1]
    for b in requests:
        people = b.body["conversationParticipants"]
        assert len(people) <= MAX_PARTICIPANTS and len(b.body["conversationEntries"]) <= MAX_ENTRIES
        senders = {json.dumps(e["sender"], sort_keys=True) for e in b.body["conversationEntries"]}
        assert senders <= {json.dumps(p["participant"], sort_keys=True) for p in people}


def test_request_ids_depend_on_the_contact_and_the_batch_only():
    transcript = {"Transcript": _chat(["customer", "bot"] * 3)}
    once = [b.request_id for b in batches(convert(transcript, CLIENT, CONTACT), CHANNEL, CONTACT)]
    twice = [b.request_id for b in batches(convert(transcript, CLIENT, CONTACT), CHANNEL, CONTACT)]
    other = [b.request_id for b in batches(convert(transcript, CLIENT, CONTACT), CHANNEL, CONTACT.replace("1", "2"))]
    assert once == twice and not set(once) & set(other)
