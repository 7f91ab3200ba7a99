"""Drives the simulator (`influxdb-sim --product oss-v2`) with InfluxData's official Python client
(influxdb-client 1.50.0, generated from the v2 OpenAPI): organizations, buckets, users, passwords,
organization members, authorizations, tasks, secrets and DBRP mappings, each created, found,
updated and deleted, with every answer checked against what InfluxDB OSS 2.7 answers (its source,
v2.7.12, where the documents and the server disagree).

The client shares no code with the provider nor with the simulator, so a misreading of the API on
both sides of the provider's own tests shows up here. Run by tests/python_client.rs.

Usage: influxdb_client_scenario.py URL TOKEN ORG_NAME
Exit status 0 when every check holds; otherwise 1, with the first mismatch on stderr.
"""

import json
import sys
import uuid

from influxdb_client import (
    Authorization,
    BucketRetentionRules,
    DBRPCreate,
    DBRPsService,
    DBRPUpdate,
    InfluxDBClient,
    OrganizationsService,
    Permission,
    PermissionResource,
    SecretKeys,
    SecretsService,
    TaskUpdateRequest,
    User,
)
from influxdb_client.rest import ApiException


class Mismatch(Exception):
    """A check that does not hold."""


def check(cond, what):
    if not cond:
        raise Mismatch(what)


def equal(got, want, what):
    if got != want:
        raise Mismatch(f"{what}: got {got!r}, want {want!r}")


def status_of(call, what):
    """The HTTP status of a call that must fail with an ApiException."""
    return failure_of(call, what)[0]


def failure_of(call, what):
    """(status, code) of a call that must fail: InfluxDB's errors are `{code, message}`."""
    try:
        call()
    except ApiException as e:
        try:
            code = json.loads(e.body or "{}").get("code")
        except ValueError as bad:
            raise Mismatch(f"{what}: the error body is not JSON ({bad}): {e.body!r}") from None
        return e.status, code
    raise Mismatch(f"{what}: the call succeeded, want an error")


def scenario(url, token, org_name):
    suffix = uuid.uuid4().hex[:8]
    with InfluxDBClient(url=url, token=token, org=org_name, timeout=10_000) as client:
        orgs_api = client.organizations_api()
        buckets_api = client.buckets_api()
        users_api = client.users_api()
        auths_api = client.authorizations_api()
        # OrganizationsApi has no members calls: the generated service has them.
        members_api = OrganizationsService(client.api_client)

        # --- the server: /ping says OSS, as InfluxDB 2.x's ping handler does ---
        check(client.ping(), "ping")
        equal(client.build().lower(), "oss", "X-Influxdb-Build of /ping")

        # --- organizations ---
        home = orgs_api.find_organizations(org=org_name)
        equal(len(home), 1, "find_organizations(org=...) of the default org")
        org = orgs_api.create_organization(name=f"py-org-{suffix}")
        check(org.id and len(org.id) == 16, f"organization id {org.id!r} is 16 hex digits")
        equal(org.name, f"py-org-{suffix}", "created organization's name")
        # An organization's description is always shown (no omitempty), empty when unset.
        equal(org.description, "", "created organization's description")
        equal(
            failure_of(lambda: orgs_api.create_organization(name=org.name), "a duplicate org"),
            (422, "conflict"),
            "a duplicate organization name",
        )
        found = orgs_api.find_organization(org.id)
        equal(found.name, org.name, "find_organization(id).name")
        by_name = orgs_api.find_organizations(org=org.name)
        equal([o.id for o in by_name], [org.id], "find_organizations(org=name)")
        system = sorted(b.name for b in buckets_api.find_buckets(org_id=org.id).buckets)
        equal(system, ["_monitoring", "_tasks"], "a new organization's system buckets")
        org.name = f"py-org-renamed-{suffix}"
        org.description = "made by the python client"
        updated = orgs_api.update_organization(org)
        equal(updated.id, org.id, "update_organization keeps the id")
        equal(updated.name, org.name, "update_organization renames")
        equal(updated.description, "made by the python client", "update_organization description")
        equal(orgs_api.find_organization(org.id).name, org.name, "renamed organization read back")

        # --- buckets ---
        thirty_days = 30 * 24 * 3600
        bucket = buckets_api.create_bucket(
            bucket_name=f"py-bucket-{suffix}",
            description="first",
            retention_rules=BucketRetentionRules(type="expire", every_seconds=thirty_days),
            org_id=org.id,
        )
        check(bucket.id and len(bucket.id) == 16, f"bucket id {bucket.id!r} is 16 hex digits")
        equal(bucket.org_id, org.id, "created bucket's orgID")
        equal(bucket.type, "user", "created bucket's type")
        equal(len(bucket.retention_rules), 1, "created bucket's rules")
        rule = bucket.retention_rules[0]
        equal(rule.every_seconds, thirty_days, "created bucket's retention")
        # OSS normalises a shard-group duration of 0 to 1 d for a retention of >= 2 d.
        equal(rule.shard_group_duration_seconds, 86400, "created bucket's shard-group duration")
        equal(
            failure_of(
                lambda: buckets_api.create_bucket(bucket_name=bucket.name, org_id=org.id),
                "a duplicate bucket name",
            ),
            (422, "conflict"),
            "a duplicate bucket name",
        )
        equal(
            failure_of(
                lambda: buckets_api.create_bucket(bucket_name=f"_py-{suffix}", org_id=org.id),
                "a name starting with an underscore",
            ),
            (400, "invalid"),
            "a bucket name starting with an underscore",
        )
        two_rules = [BucketRetentionRules(every_seconds=7200), BucketRetentionRules(every_seconds=3600)]
        equal(
            failure_of(
                lambda: buckets_api.create_bucket(
                    bucket_name=f"py-two-{suffix}", retention_rules=two_rules, org_id=org.id
                ),
                "two retention rules",
            ),
            (422, "unprocessable entity"),
            "two retention rules",
        )
        # The storage engine refuses a retention under 1 h with a plain error (500), and the
        # bucket it had begun to create is rolled back.
        equal(
            failure_of(
                lambda: buckets_api.create_bucket(
                    bucket_name=f"py-short-{suffix}",
                    retention_rules=BucketRetentionRules(every_seconds=60),
                    org_id=org.id,
                ),
                "a retention of 60 s",
            ),
            (500, "internal error"),
            "a retention of 60 s on create",
        )
        check(
            buckets_api.find_bucket_by_name(f"py-short-{suffix}") is None,
            "a bucket refused by the storage engine is rolled back",
        )
        # No rule: kept forever, shown as a rule of 0 s with a 7 d shard-group duration.
        forever = buckets_api.create_bucket(bucket_name=f"py-forever-{suffix}", org_id=org.id)
        equal(
            [(r.every_seconds, r.shard_group_duration_seconds) for r in forever.retention_rules],
            [(0, 604800)],
            "a bucket created with no rule",
        )
        check(forever.description is None, "a bucket with no description has no description key")
        equal(buckets_api.find_bucket_by_id(bucket.id).name, bucket.name, "find_bucket_by_id")
        by_name = buckets_api.find_bucket_by_name(bucket.name)
        check(by_name is not None, "find_bucket_by_name finds the bucket")
        equal(by_name.id, bucket.id, "find_bucket_by_name(...).id")
        check(
            buckets_api.find_bucket_by_name(f"py-no-such-bucket-{suffix}") is None,
            "find_bucket_by_name of a missing bucket is None",
        )
        listed = buckets_api.find_buckets(org_id=org.id, limit=100).buckets
        equal(
            sorted(b.name for b in listed),
            sorted(["_monitoring", "_tasks", bucket.name, forever.name]),
            "find_buckets(org_id=...)",
        )
        seven_days = 7 * 24 * 3600
        bucket.name = f"py-bucket-renamed-{suffix}"
        bucket.description = "second"
        bucket.retention_rules = [
            BucketRetentionRules(
                type="expire", every_seconds=seven_days, shard_group_duration_seconds=86400
            )
        ]
        updated = buckets_api.update_bucket(bucket)
        equal(updated.id, bucket.id, "update_bucket keeps the id")
        equal(updated.name, bucket.name, "update_bucket renames")
        equal(updated.description, "second", "update_bucket description")
        equal(updated.retention_rules[0].every_seconds, seven_days, "update_bucket retention")
        equal(
            updated.retention_rules[0].shard_group_duration_seconds,
            86400,
            "update_bucket shard-group duration",
        )
        read_back = buckets_api.find_bucket_by_id(bucket.id)
        equal(
            (read_back.name, read_back.description, read_back.retention_rules[0].every_seconds),
            (bucket.name, "second", seven_days),
            "updated bucket read back",
        )
        # An update with no rules leaves the retention as it is (the server reads an empty
        # retentionRules as "no change").
        read_back.description = "third"
        read_back.retention_rules = []
        updated = buckets_api.update_bucket(read_back)
        equal(updated.description, "third", "update_bucket with no rules: description")
        equal(
            updated.retention_rules[0].every_seconds,
            seven_days,
            "update_bucket with no rules keeps the retention",
        )
        # Shrinking the retention under the shard-group duration without also sending a smaller
        # one is refused (422).
        read_back.retention_rules = [BucketRetentionRules(type="expire", every_seconds=3600)]
        equal(
            failure_of(lambda: buckets_api.update_bucket(read_back), "1 h under a 1 d shard group"),
            (422, "unprocessable entity"),
            "a retention shrunk under the shard-group duration",
        )
        forever.name = bucket.name
        equal(
            failure_of(lambda: buckets_api.update_bucket(forever), "a rename into a taken name"),
            (422, "conflict"),
            "a bucket renamed into a taken name",
        )
        # A retention under one hour is refused by the storage engine (a 500 on OSS).
        read_back.retention_rules = [BucketRetentionRules(type="expire", every_seconds=60)]
        equal(
            status_of(lambda: buckets_api.update_bucket(read_back), "a retention of 60 s"),
            500,
            "a retention of 60 s",
        )

        # --- users, passwords, members ---
        user = users_api.create_user(f"py-user-{suffix}")
        check(user.id and len(user.id) == 16, f"user id {user.id!r} is 16 hex digits")
        equal(user.status, "active", "created user's status")
        equal(users_api.find_users(id=user.id).users[0].name, user.name, "find_users(id=...)")
        by_name = users_api.find_users(name=user.name).users
        equal([u.id for u in by_name], [user.id], "find_users(name=...)")
        new_name = f"py-user-renamed-{suffix}"
        renamed = users_api.update_user(User(id=user.id, name=new_name, status="inactive"))
        equal(
            (renamed.id, renamed.name, renamed.status),
            (user.id, new_name, "inactive"),
            "update_user",
        )
        renamed = users_api.update_user(User(id=user.id, name=renamed.name, status="active"))
        equal(renamed.status, "active", "update_user back to active")
        users_api.update_password(user.id, "a-long-enough-password")
        equal(
            status_of(lambda: users_api.update_password(user.id, "short"), "a 5-character password"),
            400,
            "a 5-character password",
        )
        equal(
            status_of(
                lambda: users_api.update_password("0123456789abcdef", "a-long-enough-password"),
                "the password of a missing user",
            ),
            403,
            "the password of a missing user",
        )
        member = members_api.post_orgs_id_members(
            org_id=org.id, add_resource_member_request_body={"id": user.id}
        )
        equal((member.id, member.role), (user.id, "member"), "post_orgs_id_members")
        members = members_api.get_orgs_id_members(org_id=org.id).users
        equal([(m.id, m.role) for m in members], [(user.id, "member")], "get_orgs_id_members")
        equal(
            status_of(
                lambda: members_api.post_orgs_id_members(
                    org_id=org.id, add_resource_member_request_body={"id": user.id}
                ),
                "a second membership",
            ),
            500,
            "a second membership",
        )

        # --- authorizations ---
        read_bucket = Permission(
            action="read",
            resource=PermissionResource(type="buckets", id=bucket.id, org_id=org.id),
        )
        write_bucket = Permission(
            action="write",
            resource=PermissionResource(type="buckets", id=bucket.id, org_id=org.id),
        )
        auth = auths_api.create_authorization(
            authorization=Authorization(
                org_id=org.id,
                user_id=user.id,
                description="python reader-writer",
                permissions=[read_bucket, write_bucket],
            )
        )
        check(auth.token, "create_authorization returns the token")
        equal(auth.status, "active", "created authorization's status")
        equal(auth.user_id, user.id, "created authorization's userID")
        equal(auth.permissions[0].resource.name, bucket.name, "the server names the bucket")
        found = auths_api.find_authorization_by_id(auth.id)
        equal(found.description, "python reader-writer", "find_authorization_by_id")
        check(found.token is None, "a read-back authorization carries no token (hashed at rest)")
        equal(
            [a.id for a in auths_api.find_authorizations_by_user(user)],
            [auth.id],
            "find_authorizations_by_user",
        )
        equal(
            [a.id for a in auths_api.find_authorizations_by_org_id(org.id)],
            [auth.id],
            "find_authorizations_by_org_id",
        )
        # The client sends the whole authorization back; the server changes only status and
        # description, ignoring the rest (id, token, permissions, createdAt, links...).
        created_at = found.created_at
        found.status = "inactive"
        found.description = "python reader-writer, paused"
        found.permissions = [read_bucket]
        updated = auths_api.update_authorization(found)
        equal(updated.status, "inactive", "update_authorization status")
        equal(updated.description, "python reader-writer, paused", "update_authorization description")
        equal(len(updated.permissions), 2, "update_authorization leaves the permissions alone")
        equal(updated.created_at, created_at, "update_authorization leaves createdAt alone")
        read_back = auths_api.find_authorization_by_id(auth.id)
        equal(
            (read_back.status, len(read_back.permissions)),
            ("inactive", 2),
            "updated authorization read back",
        )
        auths_api.delete_authorization(auth)
        equal(
            status_of(lambda: auths_api.find_authorization_by_id(auth.id), "a deleted authorization"),
            404,
            "find_authorization_by_id of a deleted authorization",
        )

        # --- tasks ---
        tasks_api = client.tasks_api()
        flux = f'from(bucket: "{bucket.name}")\n  |> range(start: -task.every)\n  |> to(bucket: "{bucket.name}")'
        # The client appends `option task = {name: ..., every: 1h}` to the script.
        task = tasks_api.create_task_every(f"py-task-{suffix}", flux, "1h", org)
        check(task.id and len(task.id) == 16, f"task id {task.id!r} is 16 hex digits")
        equal(
            (task.name, task.every, task.cron, task.offset, task.status, task.org_id),
            (f"py-task-{suffix}", "1h", None, None, "active", org.id),
            "created task: options read from the script",
        )
        equal(
            task.flux,
            f'{flux} \n\noption task = {{name: "py-task-{suffix}", every: 1h}}',
            "the script is stored as sent",
        )
        equal(tasks_api.find_task_by_id(task.id).flux, task.flux, "find_task_by_id")
        equal(
            [t.id for t in tasks_api.find_tasks(name=task.name, org_id=org.id)],
            [task.id],
            "find_tasks(name=..., org_id=...)",
        )
        cron_task = tasks_api.create_task_cron(f"py-cron-{suffix}", flux, "0 * * * *", org.id)
        equal((cron_task.cron, cron_task.every), ("0 * * * *", None), "a cron task")
        first_page = tasks_api.find_tasks(org_id=org.id, limit=1)
        equal(len(first_page), 1, "find_tasks(limit=1)")
        rest = tasks_api.find_tasks(org_id=org.id, after=first_page[0].id)
        equal(
            sorted([first_page[0].id] + [t.id for t in rest]),
            sorted([task.id, cron_task.id]),
            "find_tasks pages by ID with after",
        )
        equal(
            failure_of(
                lambda: tasks_api.create_task_every(f"py-day-{suffix}", flux, "1d", org),
                "every: 1d",
            ),
            (400, "invalid"),
            "a task with every: 1d (the largest unit tasks support is h)",
        )
        equal(
            tasks_api.find_tasks(name=f"py-day-{suffix}", org_id=org.id),
            [],
            "a refused task is not created",
        )
        # update_task sends the options back beside the script: the server writes them into the
        # script's `option task` and reformats the whole script.
        found = tasks_api.find_task_by_id(task.id)
        found.every = "2h"
        found.offset = "90m"
        found.description = "made by the python client"
        updated = tasks_api.update_task(found)
        equal(
            (updated.id, updated.every, updated.offset, updated.description),
            (task.id, "2h", "1h30m", "made by the python client"),
            "update_task with options",
        )
        check("every: 2h, offset: 90m}" in updated.flux, f"the options in the script: {updated.flux!r}")
        check("\n    |> range(start: -task.every)" in updated.flux, f"the script reformatted: {updated.flux!r}")
        paused = tasks_api.update_task_request(task.id, TaskUpdateRequest(status="inactive"))
        equal((paused.status, paused.flux), ("inactive", updated.flux), "update_task_request(status)")
        equal(
            failure_of(
                lambda: tasks_api.update_task_request(task.id, TaskUpdateRequest(flux="from(bucket: \"x\")")),
                "a script without option task",
            ),
            (400, "invalid"),
            "a script without option task",
        )
        tasks_api.delete_task(task.id)
        tasks_api.delete_task(cron_task.id)
        equal(
            failure_of(lambda: tasks_api.find_task_by_id(task.id), "a deleted task"),
            (404, "not found"),
            "a deleted task",
        )
        equal(tasks_api.find_tasks(org_id=org.id), [], "the tasks after delete")

        # --- secrets: the server lists keys only ---
        secrets_api = SecretsService(client.api_client)
        secrets_api.patch_orgs_id_secrets(org_id=org.id, request_body={"PY_A": "one", "PY_B": "two"})
        equal(
            sorted(secrets_api.get_orgs_id_secrets(org_id=org.id).secrets),
            ["PY_A", "PY_B"],
            "get_orgs_id_secrets lists the keys",
        )
        secrets_api.patch_orgs_id_secrets(org_id=org.id, request_body={"PY_A": "one again"})
        secrets_api.delete_orgs_id_secrets_id(org_id=org.id, secret_id="PY_A")
        equal(secrets_api.get_orgs_id_secrets(org_id=org.id).secrets, ["PY_B"], "after a delete")
        # Deleting a key that does not exist is no error.
        secrets_api.delete_orgs_id_secrets_id(org_id=org.id, secret_id="PY_A")
        secrets_api.post_orgs_id_secrets(org_id=org.id, secret_keys=SecretKeys(secrets=["PY_B"]))
        equal(secrets_api.get_orgs_id_secrets(org_id=org.id).secrets, [], "after the deprecated delete")

        # --- DBRP mappings: one default per (org, database), as dbrp/service.go keeps it ---
        dbrps_api = DBRPsService(client.api_client)
        db = f"py_db_{suffix}"

        def mappings(**filters):
            return dbrps_api.get_dbr_ps(org_id=org.id, **filters).content

        def default_of(database):
            return [m.id for m in mappings(db=database, default=True)]

        first = dbrps_api.post_dbrp(
            DBRPCreate(
                org_id=org.id,
                bucket_id=bucket.id,
                database=db,
                retention_policy="autogen",
                default=False,
            )
        )
        check(first.id and len(first.id) == 16, f"mapping id {first.id!r} is 16 hex digits")
        equal(
            (first.org_id, first.bucket_id, first.database, first.retention_policy),
            (org.id, bucket.id, db, "autogen"),
            "created mapping",
        )
        equal(
            (first.default, first.virtual),
            (True, False),
            "the first mapping of a database is its default, whatever was asked",
        )
        weekly = dbrps_api.post_dbrp(
            DBRPCreate(org=org.name, bucket_id=forever.id, database=db, retention_policy="weekly")
        )
        equal((weekly.org_id, weekly.default), (org.id, False), "a second mapping, org by name")
        daily = dbrps_api.post_dbrp(
            DBRPCreate(
                org_id=org.id,
                bucket_id=forever.id,
                database=db,
                retention_policy="daily",
                default=True,
            )
        )
        equal(daily.default, True, "a new mapping marked default")
        equal(
            dbrps_api.get_dbr_ps_id(first.id, org_id=org.id).content.default,
            False,
            "a new mapping marked default takes the default over, with no error",
        )
        equal(
            failure_of(
                lambda: dbrps_api.post_dbrp(
                    DBRPCreate(
                        org_id=org.id, bucket_id=forever.id, database=db, retention_policy="autogen"
                    )
                ),
                "a taken database and retention policy",
            ),
            (422, "conflict"),
            "a database and retention policy mapped already",
        )
        equal(
            failure_of(
                lambda: dbrps_api.post_dbrp(
                    DBRPCreate(
                        org_id=org.id, bucket_id=bucket.id, database="a/b", retention_policy="x"
                    )
                ),
                "a database with a slash",
            ),
            (400, "invalid"),
            "a database name with a slash",
        )
        equal(
            failure_of(
                lambda: dbrps_api.post_dbrp(
                    DBRPCreate(
                        org_id=org.id,
                        bucket_id="0123456789abcdef",
                        database=db,
                        retention_policy="gone",
                    )
                ),
                "a missing bucket",
            ),
            (404, "not found"),
            "a mapping to a missing bucket",
        )
        equal(
            failure_of(lambda: dbrps_api.get_dbr_ps(), "a list naming no organization"),
            (400, "invalid"),
            "a list naming no organization",
        )
        equal(
            sorted((m.retention_policy, m.default, m.virtual) for m in mappings(db=db)),
            [("autogen", False, False), ("daily", True, False), ("weekly", False, False)],
            "get_dbr_ps(db=...)",
        )
        # The client sends Python's `True`/`False`; the server reads them with strconv.ParseBool.
        equal(default_of(db), [daily.id], "get_dbr_ps(default=True)")
        equal(
            sorted(m.id for m in mappings(db=db, default=False)),
            sorted([first.id, weekly.id]),
            "get_dbr_ps(default=False)",
        )
        equal([m.id for m in mappings(db=db, rp="weekly")], [weekly.id], "get_dbr_ps(rp=...)")
        # Every bucket is also a virtual mapping: its ID, its name as the database, autogen,
        # default as its name has no '/'.
        equal(
            sorted((m.id, m.database, m.default, m.virtual) for m in mappings(bucket_id=bucket.id)),
            sorted([(first.id, db, False, False), (bucket.id, bucket.name, True, True)]),
            "get_dbr_ps(bucket_id=...): the bucket's mapping and its virtual one",
        )
        equal(
            sorted((m.database, m.retention_policy, m.virtual) for m in mappings()),
            sorted(
                [(db, rp, False) for rp in ("autogen", "daily", "weekly")]
                + [(name, "autogen", True) for name in ("_monitoring", "_tasks", bucket.name)]
                + [(f"py-forever-{suffix}", "autogen", True)]
            ),
            "get_dbr_ps(): the physical mappings and one virtual one per bucket",
        )
        virtual = dbrps_api.get_dbr_ps_id(bucket.id, org_id=org.id).content
        equal(
            (virtual.id, virtual.bucket_id, virtual.database, virtual.default, virtual.virtual),
            (bucket.id, bucket.id, bucket.name, True, True),
            "get_dbr_ps_id of a bucket's ID: its virtual mapping",
        )
        # A default mapping of the bucket's name makes its virtual mapping not the default; one
        # of the same retention policy hides it. (Each alone: the server checks the listed
        # mappings in ID order and stops at the first that decides.)
        raw = dbrps_api.post_dbrp(
            DBRPCreate(org_id=org.id, bucket_id=forever.id, database=bucket.name, retention_policy="raw")
        )
        equal(
            sorted((m.retention_policy, m.default, m.virtual) for m in mappings(db=bucket.name)),
            [("autogen", False, True), ("raw", True, False)],
            "a physical default of the bucket's name",
        )
        dbrps_api.delete_dbrpid(raw.id, org_id=org.id)
        shadow = dbrps_api.post_dbrp(
            DBRPCreate(
                org_id=org.id, bucket_id=forever.id, database=bucket.name, retention_policy="autogen"
            )
        )
        equal(
            [m.id for m in mappings(db=bucket.name)],
            [shadow.id],
            "a physical mapping of the same database and retention policy hides the virtual one",
        )
        dbrps_api.delete_dbrpid(shadow.id, org_id=org.id)
        equal(
            [(m.id, m.default, m.virtual) for m in mappings(db=bucket.name)],
            [(bucket.id, True, True)],
            "the virtual mapping is back",
        )
        # PATCH answers the `default` asked; un-defaulting hands the default to the first other
        # mapping of the database (lowest ID).
        answer = dbrps_api.patch_dbrpid(daily.id, DBRPUpdate(default=False), org_id=org.id).content
        equal((answer.id, answer.default), (daily.id, False), "patch_dbrpid(default=False)")
        equal(default_of(db), [min(first.id, weekly.id)], "un-defaulting hands the default on")
        moved = dbrps_api.patch_dbrpid(
            weekly.id, DBRPUpdate(retention_policy="seven_days", default=True), org_id=org.id
        ).content
        equal(
            (moved.id, moved.bucket_id, moved.database, moved.retention_policy, moved.default),
            (weekly.id, forever.id, db, "seven_days", True),
            "patch_dbrpid(retention_policy, default)",
        )
        equal(default_of(db), [weekly.id], "the patched mapping is the default")
        equal(
            failure_of(
                lambda: dbrps_api.patch_dbrpid(
                    weekly.id, DBRPUpdate(retention_policy="autogen"), org_id=org.id
                ),
                "a retention policy mapped already",
            ),
            (422, "conflict"),
            "a PATCH to a retention policy mapped already",
        )
        equal(
            failure_of(
                lambda: dbrps_api.patch_dbrpid(
                    weekly.id, DBRPUpdate(retention_policy=".."), org_id=org.id
                ),
                "a retention policy of '..'",
            ),
            (400, "invalid"),
            "a PATCH to an invalid retention policy",
        )
        equal(
            failure_of(
                lambda: dbrps_api.patch_dbrpid(
                    "0123456789abcdef", DBRPUpdate(default=True), org_id=org.id
                ),
                "a missing mapping",
            ),
            (404, "not found"),
            "a PATCH of a missing mapping",
        )
        # Un-defaulting the only mapping of a database is ignored, although the answer says false.
        solo = dbrps_api.post_dbrp(
            DBRPCreate(
                org_id=org.id, bucket_id=bucket.id, database=f"py_solo_{suffix}", retention_policy="rp"
            )
        )
        equal(solo.default, True, "the only mapping of a database")
        answer = dbrps_api.patch_dbrpid(solo.id, DBRPUpdate(default=False), org_id=org.id).content
        equal(answer.default, False, "un-defaulting the only mapping: the answer")
        equal(
            dbrps_api.get_dbr_ps_id(solo.id, org_id=org.id).content.default,
            True,
            "un-defaulting the only mapping is ignored",
        )
        # Deleting the default hands it on.
        dbrps_api.delete_dbrpid(weekly.id, org_id=org.id)
        equal(
            failure_of(lambda: dbrps_api.get_dbr_ps_id(weekly.id, org_id=org.id), "a deleted mapping"),
            (404, "not found"),
            "a deleted mapping",
        )
        equal(
            failure_of(
                lambda: dbrps_api.delete_dbrpid(weekly.id, org_id=org.id), "a second delete"
            ),
            (404, "not found"),
            "deleting a mapping that is gone",
        )
        equal(default_of(db), [min(first.id, daily.id)], "deleting the default hands it on")

        # --- deletes ---
        members_api.delete_orgs_id_members_id(user_id=user.id, org_id=org.id)
        equal(members_api.get_orgs_id_members(org_id=org.id).users, [], "members after delete")
        equal(
            status_of(
                lambda: members_api.delete_orgs_id_members_id(user_id=user.id, org_id=org.id),
                "a second membership delete",
            ),
            404,
            "deleting a membership that is gone",
        )
        orphan = auths_api.create_authorization(
            authorization=Authorization(org_id=org.id, user_id=user.id, permissions=[read_bucket])
        )
        users_api.delete_user(user)
        # The authorizations of a deleted user stay on the server but are refused: left out of
        # lists, 404 "user not found" by ID.
        check(
            orphan.id not in [a.id for a in auths_api.find_authorizations()],
            "the list leaves out the authorization of a deleted user",
        )
        equal(
            failure_of(lambda: auths_api.find_authorization_by_id(orphan.id), "a deleted user's token"),
            (404, "not found"),
            "an authorization of a deleted user by ID",
        )
        buckets_api.delete_bucket(forever)
        # Deleting a bucket deletes its mappings (dbrp/bucket_service.go), handing the default on.
        equal(
            [(m.id, m.default) for m in mappings(db=db)],
            [(first.id, True)],
            "the mappings after their bucket is deleted",
        )
        equal(
            status_of(lambda: users_api.find_users(id=user.id), "a deleted user"),
            404,
            "find_users of a deleted user",
        )
        buckets_api.delete_bucket(bucket)
        equal(
            status_of(lambda: buckets_api.find_bucket_by_id(bucket.id), "a deleted bucket"),
            404,
            "a deleted bucket",
        )
        check(
            buckets_api.find_bucket_by_name(bucket.name) is None,
            "find_bucket_by_name of a deleted bucket",
        )
        system = [b for b in buckets_api.find_buckets(org_id=org.id).buckets if b.name == "_tasks"]
        equal(len(system), 1, "the _tasks bucket")
        equal(
            status_of(lambda: buckets_api.delete_bucket(system[0].id), "deleting _tasks"),
            400,
            "deleting a system bucket",
        )
        orgs_api.delete_organization(org.id)
        equal(
            status_of(lambda: orgs_api.find_organization(org.id), "a deleted organization"),
            404,
            "a deleted organization",
        )
        equal(
            [b.name for b in buckets_api.find_buckets(limit=100).buckets if b.org_id == org.id],
            [],
            "the buckets (system ones too) of a deleted organization",
        )


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        scenario(argv[1], argv[2], argv[3])
    except Mismatch as m:
        print(f"influxdb-client scenario: MISMATCH: {m}", file=sys.stderr)
        return 1
    except ApiException as e:
        print(
            f"influxdb-client scenario: unexpected API error {e.status} {e.reason}: {e.body}",
            file=sys.stderr,
        )
        return 1
    print("influxdb-client scenario: every check holds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
