"""Teach the moto server the few read behaviours the collector relies on and moto lacks.

Applied in the test process (the ``ThreadedMotoServer`` runs in it) and in the benchmark's
moto subprocess. Each shim is small and mirrors documented AWS behaviour:

* ``DescribeSnapshots(RestorableByUserIds=["all"])`` lists only snapshots whose
  ``createVolumePermission`` includes the group ``all`` (moto ignores the parameter and
  returns every snapshot).
* DynamoDB global tables (version 2019.11.21): ``UpdateTable(ReplicaUpdates=[{"Create": …}])``
  records the replica regions and ``DescribeTable`` returns them as ``Replicas`` (moto has no
  global tables).
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
    _installed = True


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
