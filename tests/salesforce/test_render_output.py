"""`sccac salesforce render --out`: never delete or overwrite what the render did not write.

Each data-loss case that the old renderer had (it removed every folder a render type owns and
replaced package.xml) is checked here: the user's unrelated files are byte-identical afterwards.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sccac.cli import main
from sccac.salesforce import output as output_module
from sccac.salesforce import render as render_module
from sccac.salesforce.output import RenderTargetError, read_manifest
from sccac.salesforce.render import CredentialOptions, MessagingOptions, RenderError, render_credentials, render_messaging


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, ["salesforce", "render", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def project_source(tmp_path: Path) -> Path:
    """A user's force-app/main/default with objects, permission sets and a package.xml of their own."""
    root = tmp_path / "force-app" / "main" / "default"
    files = {
        "objects/Account_Score__c.object": "<CustomObject>mine</CustomObject>\n",
        "permissionsets/Sales_Ops.permissionset": "<PermissionSet>mine</PermissionSet>\n",
        "permissionsetgroups/Ops.permissionsetgroup": "<PermissionSetGroup>mine</PermissionSetGroup>\n",
        "package.xml": "<Package>the user's</Package>\n",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_a_folder_the_render_did_not_write_is_refused_and_left_as_it_was(project_source: Path) -> None:
    before = snapshot(project_source)
    for args in (["messaging", "--queue", "Q"], ["credentials", "--region", "us-east-1"]):
        result = cli(*args, "--out", str(project_source))
        assert result.exit_code == 2
        assert "is not empty and no `sccac salesforce render" in result.stderr and "--force" in result.stderr
    assert snapshot(project_source) == before
    assert [p.name for p in project_source.parent.iterdir()] == ["default"], "no staging folder is left behind"


def test_force_writes_the_render_and_removes_nothing(project_source: Path) -> None:
    before = snapshot(project_source)
    result = cli("credentials", "--region", "us-east-1", "--out", str(project_source), "--force")
    assert result.exit_code == 0, result.output
    assert "package.xml (replaced a file no render wrote: --force)" in result.output
    after = snapshot(project_source)
    for relative, data in before.items():
        if relative != "package.xml":
            assert after[relative] == data, relative
    assert "permissionsets/Connect_Routing_Integration.permissionset" in after


def test_rendering_messaging_into_a_credentials_render_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "config"
    render_credentials(CredentialOptions(region="us-east-1"), out)
    before = snapshot(out)
    with pytest.raises(RenderTargetError, match="holds a `sccac salesforce render credentials` render"):
        render_messaging(MessagingOptions(queue="Q"), out)
    result = cli("messaging", "--queue", "Q", "--out", str(out))
    assert result.exit_code == 2 and "rendering messaging there would replace its package.xml" in result.stderr
    assert snapshot(out) == before


def test_a_rerender_replaces_only_what_the_last_render_wrote(tmp_path: Path) -> None:
    out = tmp_path / "messaging"
    render_messaging(MessagingOptions(queue="Q1"), out)
    mine = {"README.md": b"notes\n", "objects/Mine__c.object": b"<CustomObject/>\n"}
    for relative, data in mine.items():
        (out / relative).write_bytes(data)
    result = render_messaging(MessagingOptions(queue="Q2", existing_definition="Existing_Def"), out)
    after = snapshot(out)
    for relative, data in mine.items():
        assert after[relative] == data
    # The package's own definition, vendor info and platform event were the last render's: gone.
    assert set(after) == {"README.md", "objects/Mine__c.object", "messagingChannels/SCCAC_Amazon_Connect_Chat.messagingChannel", "package.xml"}
    assert not (out / "conversationChannelDefinitions").exists()
    manifest = read_manifest(out)
    assert manifest is not None and manifest.kind == "messaging"
    assert manifest.files == {"messagingChannels/SCCAC_Amazon_Connect_Chat.messagingChannel", "package.xml"}
    assert [p.name for p in result.files] == ["SCCAC_Amazon_Connect_Chat.messagingChannel", "package.xml"]


def test_a_file_no_render_wrote_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "messaging"
    render_messaging(MessagingOptions(queue="Q1", existing_definition="Existing_Def"), out)
    # The user puts their own file where a render with the package's own definition writes one.
    theirs = out / "objects" / "SCCAC_Conversation_Event__e.object"
    theirs.parent.mkdir()
    theirs.write_bytes(b"<CustomObject>edited by hand</CustomObject>\n")
    before = snapshot(out)
    with pytest.raises(RenderTargetError, match="objects/SCCAC_Conversation_Event__e.object, not written by an earlier render"):
        render_messaging(MessagingOptions(queue="Q1"), out)
    assert snapshot(out) == before
    result = render_messaging(MessagingOptions(queue="Q1"), out, force=True)
    assert result.replaced == [theirs]


def test_a_bad_option_after_a_good_render_leaves_it_intact(tmp_path: Path) -> None:
    out = tmp_path / "messaging"
    assert cli("messaging", "--queue", "SCCAC_Support", "--out", str(out)).exit_code == 0
    before = snapshot(out)
    for bad in ("Chat\x01Label", "Chat\nLabel", "Chat\x9bLabel"):
        result = cli("messaging", "--queue", "SCCAC_Support", "--channel-label", bad, "--out", str(out))
        assert result.exit_code == 2
        assert "option 'channel_label' (--channel-label): has a control or non-text character" in result.output
        assert snapshot(out) == before


def test_a_render_that_fails_midway_leaves_the_previous_render_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "messaging"
    render_messaging(MessagingOptions(queue="Q1"), out)
    before = snapshot(out)
    real_write = render_module._write

    def failing_write(result: render_module.RenderResult, relative: str, template: str, **context: object) -> Path:
        if relative.startswith("conversationChannelDefinitions/"):
            raise RenderError(f"rendered {relative} does not match the schema")
        return real_write(result, relative, template, **context)

    monkeypatch.setattr(render_module, "_write", failing_write)
    with pytest.raises(RenderError):
        render_messaging(MessagingOptions(queue="Q2"), out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messaging"], "the staging folder is removed"


def test_a_manifest_naming_paths_outside_the_render_deletes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "messaging"
    render_messaging(MessagingOptions(queue="Q1"), out)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    package = out / "package.xml"
    package.write_text(package.read_text().replace("     objects/", "     ../precious.txt\n     objects/"))
    with pytest.raises(RenderTargetError, match="which no render writes"):
        render_messaging(MessagingOptions(queue="Q1"), out)
    assert precious.read_text() == "keep me"


@pytest.mark.parametrize("command", [["messaging", "--queue", "Q"], ["credentials", "--region", "us-east-1"]])
def test_unusable_out_paths_are_one_line_and_exit_2(tmp_path: Path, command: list[str]) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    for target, message in ((a_file, "is a file; give a folder"), (a_file / "sub", "is a file, not a folder")):
        result = cli(*command, "--out", str(target))
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert a_file.read_text() == "mine"


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    result = cli("credentials", "--region", "us-east-1", "--out", str(tmp_path / "unpackaged" / "config" / "creds"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "unpackaged/config/creds/package.xml").exists()
    assert sorted(p.name for p in (tmp_path / "unpackaged/config").iterdir()) == ["creds"]


def test_an_out_folder_in_a_read_only_folder_stages_inside_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "messaging"
    render_messaging(MessagingOptions(queue="Q1"), out)
    real_mkdtemp = output_module.tempfile.mkdtemp

    def mkdtemp(prefix: str, dir: Path) -> str:  # noqa: A002 (tempfile's own parameter name)
        if Path(dir) == tmp_path:  # permission bits do not stop root: refuse the parent here
            raise PermissionError(13, "Permission denied", str(dir))
        return real_mkdtemp(prefix=prefix, dir=dir)

    monkeypatch.setattr(output_module.tempfile, "mkdtemp", mkdtemp)
    render_messaging(MessagingOptions(queue="Q2"), out)
    assert b"<sessionHandlerQueue>Q2</sessionHandlerQueue>" in (out / "messagingChannels/SCCAC_Amazon_Connect_Chat.messagingChannel").read_bytes()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "the staging folder is removed"


def test_a_new_render_folder_gets_the_usual_mode_not_the_staging_folders(tmp_path: Path) -> None:
    out = tmp_path / "credentials"
    render_credentials(CredentialOptions(region="us-east-1"), out)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask
