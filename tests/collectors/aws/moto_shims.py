"""Teach the moto server the few read behaviours the collector relies on and moto lacks.

Applied in the test process (the ``ThreadedMotoServer`` runs in it) and in the benchmark's
moto subprocess. Each shim is small and mirrors documented AWS behaviour:

* ``DescribeSnapshots(RestorableByUserIds=["all"])`` lists only snapshots whose
  ``createVolumePermission`` includes the group ``all`` (moto ignores the parameter and
  returns every snapshot).
* DynamoDB global tables (version 2019.11.21): ``UpdateTable(ReplicaUpdates=[{"Create": …}])``
  records the replica regions and ``DescribeTable`` returns them as ``Replicas`` (moto has no
  global tables).
* Read APIs moto does not have, served from state a test seeds with :func:`seed` (AWS creates
  this state itself, by running backups, restores and Patch Manager, which moto cannot):
  Systems Manager ``DescribeInstancePatchStates``, AWS Backup ``ListRecoveryPointsByBackupVault``
  and ``ListRestoreJobs`` (with its ``ByStatus`` filter). Responses have the documented shapes.
* Time passing for AWS Backup Vault Lock: :func:`pass_lock_date` moves a vault's ``LockDate`` (set by
  ``PutBackupVaultLockConfiguration`` with ``ChangeableForDays``, at least 3 days ahead) into the
  past, as if the grace time had elapsed and the compliance-mode lock had become immutable. moto's
  own vault state is changed; the API answers as AWS does after the lock date.
"""

from __future__ import annotations

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from moto.core.responses import ActionResult
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    original = ElasticBlockStore.describe_snapshots

    def describe_snapshots(self):  # type: ignore[no-untyped-def]
        restorable = self._get_param("RestorableByUserIds", []) or []
        if "all" not in restorable:
            return original(self)
        snaps = self.ec2_backend.describe_snapshots(snapshot_ids=self._get_param("SnapshotIds", []),
                                                    filters=self._filters_from_querystring())
        return ActionResult({"Snapshots": [s for s in snaps if "all" in s.create_volume_permission_groups]})

    ElasticBlockStore.describe_snapshots = describe_snapshots
    _install_dynamodb_replicas()
    _install_seeded_reads()
    _installed = True


# (account, region) → {"patch_states": {instance id: state}, "recovery_points": [...], "restore_jobs": [...]}
SEEDED: dict[tuple[str, str], dict] = {}


def seed(account: str, region: str, **state: object) -> None:
    """Add state for the shimmed read APIs: ``patch_states`` (a dict), ``recovery_points`` or ``restore_jobs`` (lists)."""
    bucket = SEEDED.setdefault((account, region), {"patch_states": {}, "recovery_points": [], "restore_jobs": []})
    for k, v in state.items():
        if isinstance(v, dict):
            bucket[k].update(v)
        else:
            bucket[k].extend(v)  # type: ignore[arg-type]


def pass_lock_date(account: str, region: str, vault: str) -> None:
    """The vault's ChangeableForDays have elapsed: its LockDate is a day in the past."""
    from moto.backup.models import backup_backends
    from moto.core.utils import unix_time

    v = backup_backends[account][region].vaults[vault]
    assert v.locked and v.lock_date is not None, f"{vault} has no compliance-mode Vault Lock"
    v.lock_date = unix_time() - 86400


def _epoch(v: object) -> object:
    import datetime as dt

    return v.timestamp() if isinstance(v, dt.datetime) else v


def _jsonable(d: dict) -> dict:
    return {k: (_jsonable(v) if isinstance(v, dict) else _epoch(v)) for k, v in d.items()}


def _install_seeded_reads() -> None:
    import json
    from urllib.parse import unquote

    from moto.backup import urls as backup_urls
    from moto.backup.responses import BackupResponse
    from moto.ssm.responses import SimpleSystemManagerResponse

    def mine(self) -> dict:  # type: ignore[no-untyped-def]
        return SEEDED.get((self.current_account, self.region), {"patch_states": {}, "recovery_points": [],
                                                                  "restore_jobs": []})

    def describe_instance_patch_states(self):  # type: ignore[no-untyped-def]
        wanted = self._get_param("InstanceIds") or []
        states = mine(self)["patch_states"]
        return json.dumps({"InstancePatchStates": [_jsonable({"InstanceId": i, **states[i]})
                                                   for i in wanted if i in states]})

    def list_recovery_points_by_backup_vault(self):  # type: ignore[no-untyped-def]
        vault = unquote(self.path.rstrip("/").split("/")[-2])
        return json.dumps({"RecoveryPoints": [_jsonable(rp) for rp in mine(self)["recovery_points"]
                                              if rp["BackupVaultName"] == vault]})

    def list_restore_jobs(self):  # type: ignore[no-untyped-def]
        status = self._get_param("status") or self.querystring.get("status", [None])[0]
        return json.dumps({"RestoreJobs": [_jsonable(j) for j in mine(self)["restore_jobs"]
                                           if status is None or j.get("Status") == status]})

    SimpleSystemManagerResponse.describe_instance_patch_states = describe_instance_patch_states
    BackupResponse.list_recovery_points_by_backup_vault = list_recovery_points_by_backup_vault
    BackupResponse.list_restore_jobs = list_restore_jobs
    backup_urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$"] = backup_urls.response.dispatch
    backup_urls.url_paths["{0}/restore-jobs/$"] = backup_urls.response.dispatch


def _install_dynamodb_replicas() -> None:
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler

    original_update = DynamoHandler.update_table
    original_describe = Table.describe

    def update_table(self):  # type: ignore[no-untyped-def]
        updates = self.body.get("ReplicaUpdates") or []
        if updates:
            table = self.dynamodb_backend.get_table(self.body["TableName"])
            replicas = table.__dict__.setdefault("_shim_replicas", [])
            for u in updates:
                if "Create" in u:
                    replicas.append(u["Create"]["RegionName"])
                elif "Delete" in u and u["Delete"]["RegionName"] in replicas:
                    replicas.remove(u["Delete"]["RegionName"])
        return original_update(self)

    def describe(self, base_key: str = "TableDescription"):  # type: ignore[no-untyped-def]
        out = original_describe(self, base_key)
        replicas = self.__dict__.get("_shim_replicas")
        if replicas:
            out[base_key]["Replicas"] = [{"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in replicas]
            out[base_key]["GlobalTableVersion"] = "2019.11.21"
        return out

    DynamoHandler.update_table = update_table
    Table.describe = describe


if __name__ == "__main__":  # python -m tests.collectors.aws.moto_shims PORT: a shimmed moto_server
    import sys

    install()
    from moto.server import main

    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
