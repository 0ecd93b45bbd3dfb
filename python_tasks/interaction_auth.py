"""CumulusCI task: the connected app the Lambdas sign in with, its key kept only in Secrets Manager."""

from __future__ import annotations

from pathlib import Path

from cumulusci.core.exceptions import TaskOptionsError
from cumulusci.core.utils import process_bool_arg, process_list_arg
from cumulusci.tasks.salesforce import BaseSalesforceApiTask

from python_tasks import support
from python_tasks.support import cumulusci_errors
from sccac.connect.session import aws_session, missing_aws_setup
from sccac.provision.credentials import new_credentials
from sccac.provision.domains import login_url, scrt_domain
from sccac.provision.secret import ensure_secret, existing_credentials, read_secret
from sccac.salesforce import org as org_access
from sccac.salesforce.render import ConnectedAppOptions, render_connected_app


@support.renamed_options({"path": "out"})
class SetUpInteractionServiceAuth(BaseSalesforceApiTask):
    task_docs = (
        "Creates the connected app the SCC-AC Lambdas sign in to the Interaction Service with (JWT bearer, scope "
        "Interaction API, pre-authorized), generates its key pair, keeps the private key only in the Secrets Manager "
        "secret the Lambdas read, and returns the org's Interaction Service domain. A re-run reuses the key and changes "
        "nothing; rotate: True makes a new key. Skipped with one line without AWS credentials."
    )
    task_options = {
        "secret_name": {"description": "Secrets Manager secret name (default: sccac/<org id>)"},
        "username": {"description": "User the Lambdas sign in as (default: the org's CumulusCI user)"},
        "contact_email": {"description": "Contact email of the connected app (default: the org user's email)"},
        "profiles": {"description": "Profiles pre-authorized on the app (default: System Administrator)"},
        "permission_sets": {"description": "Permission sets pre-authorized on the app (instead of or beside profiles)"},
        "region": {"description": "AWS region of the secret (the Lambdas' region)"},
        "profile": {"description": "AWS profile (default: the environment's credentials)"},
        "kms_key_id": {"description": "Customer-managed KMS key for a new secret (default: aws/secretsmanager)"},
        "rotate": {"description": "True: a new key pair and certificate even when the secret has one"},
        "out": {"description": "Folder the connected app is rendered into (default: out/render/connected_app)"},
    }

    def _init_options(self, kwargs):
        super()._init_options(kwargs)
        support.apply_renamed_options(self)
        self.rotate = process_bool_arg(self.options.get("rotate") or False)
        self.profiles = tuple(process_list_arg(self.options.get("profiles")) or ["System Administrator"])
        self.permission_sets = tuple(process_list_arg(self.options.get("permission_sets")) or [])
        self.path = Path(self.options.get("out") or "out/render/connected_app")

    def _run_task(self):
        missing = missing_aws_setup(self.options.get("region"), self.options.get("profile"))
        if missing:
            self.logger.warning(f"Interaction Service sign-in skipped: {missing}; then run cci task run setup_interaction_auth")
            self.return_values = {"skipped": missing}
            return
        org = self.org_config
        name = self.options.get("secret_name") or f"sccac/{org.org_id}"
        username = self.options.get("username") or org.username
        if not username:
            raise TaskOptionsError("No username: give -o username <the user the Lambdas sign in as>")
        with cumulusci_errors():
            client = aws_session(self.options.get("region"), self.options.get("profile")).client("secretsmanager")
            current = read_secret(client, name)
            credentials = None if self.rotate else existing_credentials(current)
            certificate = (current or {}).get("certificate") if credentials else None
            if credentials is None or not certificate:
                credentials = new_credentials()
                certificate = credentials.certificate_pem(f"sccac {org.org_id}")
            options = ConnectedAppOptions(
                contact_email=self.options.get("contact_email") or getattr(org, "email_address", None) or username,
                consumer_key=credentials.consumer_key, profiles=self.profiles, permission_sets=self.permission_sets,
            )
            wanted = {
                "consumerKey": credentials.consumer_key, "privateKey": credentials.private_pem, "certificate": certificate,
                "username": username, "orgId": org.org_id, "loginUrl": login_url(org.instance_url),
            }
            secret_changed = current != wanted
            app_exists = org_access.has_connected_app(self.sf, options.developer_name)
            if secret_changed or not app_exists:
                # The app first: a secret naming a consumer key the org does not know yet would fail every sign-in.
                rendered = render_connected_app(options, certificate, self.path)
                support.deploy_folder(self, rendered.directory)
            outcome = ensure_secret(client, name, wanted, current, self.options.get("kms_key_id"))
            domain = scrt_domain(org.instance_url)
        self.logger.info(f"Connected app {options.developer_name}: {'deployed' if secret_changed or not app_exists else 'unchanged'}; "
                         f"secret {name}: {outcome}; Interaction Service domain {domain}")
        self.return_values = {"secret_name": name, "scrt_domain": domain, "connected_app": options.developer_name,
                              "secret": outcome}
