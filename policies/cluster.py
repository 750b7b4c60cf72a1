"""``--cluster``: Dask distributed as the engine for fan-out (``pip install 'sansho[distributed]'``).

Scan orchestration, like :mod:`sansho.policies.scanning`: it imports the AWS collector to read
one account per worker, so it is listed with ``scanning`` in the import-linter contract's
``ignore_imports`` (pyproject.toml). ``distributed`` itself is imported only inside functions:
the core install does not have it.

What runs where (docs/distributed.md, docs/architecture.md decision 38):

* **shards** are accounts (subscriptions, projects: the resources' ``account``), grouped so a
  big inventory makes about four shards per worker; an account is never split, so whatever
  judges several resources of one account sees them together;
* each **worker** builds its :class:`Engine` once per process (regorus engines are per process)
  and judges its shard with the automated controls (:func:`judge_shard`);
* the **client** judges what has no account (on-prem registers, vendors, attestations) with every
  selected control, and any control whose rule reads across the inventory
  (:data:`WHOLE_INVENTORY_CONTROLS`) over the whole inventory; then it merges the shards' findings
  into exactly the order a single-process scan gives, and renders and records as usual;
* a **shard** whose worker dies is retried elsewhere (:data:`RETRIES`); one that still fails
  becomes ERROR findings for every resource × control it held, never a gap.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import heapq
import logging
import re
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .catalog import Catalog, Control
from .config import Config
from .engine.core import Engine, ScanResult
from .errors import InputError, first_line, require
from .findings import Finding
from .model import CollectionError, Resource

# Controls whose rule reads more than the one resource it judges (RuleContext.by_kind in a Python
# rule, input.resources outside lib.applicable in Rego): judged once on the client over the whole
# inventory. The audit in docs/architecture.md (decision 38) says why the list is short, and
# tests/test_distributed.py fails when a rule starts to read across resources without being named here.
# SAN-OPS-009 finds an IoT device's network segment among the networks register's segments.
WHOLE_INVENTORY_CONTROLS: frozenset[str] = frozenset({"SAN-OPS-009"})
# The kinds those rules read besides the ones they judge (a scan read a chunk at a time holds them
# to the end, with the judged kinds: policies/scanning.py).
WHOLE_INVENTORY_READS: frozenset[str] = frozenset({"network.segment"})

# Kinds judged on the client whatever their account: the attestation register is judged as a
# whole (a control with no attestation anywhere is a FAIL; engine/attestations.py).
CLIENT_KINDS = frozenset({"attestation"})

RETRIES = 2  # a shard is tried at most three times (a worker that died, an error) before it is ERROR
SHARDS_PER_WORKER = 4  # enough to balance uneven accounts, few enough to keep the per-task cost small
LOCAL = re.compile(r"local:(.*)")
SCHEDULER = re.compile(r"(tcp|tls|ws|wss|inproc)://\S+")


def _require() -> None:
    require("distributed", "--cluster")


def _quiet() -> None:
    """distributed logs every worker start, stop and lost connection on stderr; the scan says
    what matters itself (a retried or failed shard is in its notes)."""
    for name in ("distributed", "dask", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # A shard travels inside its task on purpose (a shard whose worker died can then run again
    # elsewhere), so Dask's advice to scatter large task data does not apply.
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)


def parse_cluster(value: str) -> tuple[str, Any]:
    """``("local", N)`` or ``("scheduler", address)``; an :class:`InputError` for anything else."""
    m = LOCAL.fullmatch(value.strip())
    if m:
        n = m.group(1)
        if not n.isdigit() or int(n) < 1:
            raise InputError(f"--cluster: {value!r}: local:N needs a number of worker processes N ≥ 1 (e.g. local:4) "
                             f"/ ワーカー数を 1 以上の整数で指定してください")
        return "local", int(n)
    if SCHEDULER.fullmatch(value.strip()):
        return "scheduler", value.strip()
    raise InputError(f"--cluster: {value!r} is neither local:N nor a Dask scheduler address (tcp://host:8786) "
                     f"/ local:N またはスケジューラのアドレスを指定してください")


@contextlib.contextmanager
def open_cluster(value: str, timeout: float | None = None) -> Iterator[Any]:
    """A connected ``distributed.Client``: to the scheduler at ``value``, or to a LocalCluster of
    N worker processes (one thread each, no dashboard) that lives as long as the block.
    ``timeout``: seconds to reach a scheduler (default: Dask's ``distributed.comm.timeouts.connect``)."""
    kind, arg = parse_cluster(value)
    _require()
    _quiet()
    import dask
    from dask.utils import parse_timedelta
    from distributed import Client, LocalCluster

    if timeout is None:
        timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="s")
    if kind == "local":
        # no GIL monitor, no statistical profiler sampling the judging threads: nobody looks at them
        with dask.config.set({"distributed.admin.system-monitor.gil.enabled": False,
                              "distributed.worker.profile.enabled": False}), \
                LocalCluster(n_workers=arg, processes=True, threads_per_worker=1, dashboard_address=None,
                             host="127.0.0.1", silence_logs=logging.CRITICAL,
                             # no dashboard; the scheduler's health endpoint on any free loopback port,
                             # not on 8787 with a warning when another cluster holds it
                             scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
                Client(cluster) as client:
            yield client
        return
    try:
        client = Client(arg, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(f"--cluster: cannot reach the Dask scheduler at {arg} within {timeout:g} s: {first_line(e)} "
                         f"/ スケジューラに接続できません") from None
    try:
        if not client.scheduler_info().get("workers"):
            try:
                client.wait_for_workers(1, timeout=timeout)
            except TimeoutError:
                raise InputError(f"--cluster: the Dask scheduler at {arg} has no worker / ワーカーがありません") from None
        yield client
    finally:
        client.close()


def worker_count(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers") or {}))


# -- sharding ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Shard:
    accounts: list[str]
    indices: list[int]  # positions in the inventory, ascending

    def label(self) -> str:
        shown = ", ".join(self.accounts[:5]) + (f", … ({len(self.accounts)} accounts)" if len(self.accounts) > 5 else "")
        return f"shard of account(s) {shown}"


def plan_shards(resources: Sequence[Resource], workers: int, per_worker: int = SHARDS_PER_WORKER
                ) -> tuple[list[Shard], list[int]]:
    """The shards (whole accounts, the biggest first into the lightest shard) and the positions of
    the resources judged on the client (no account, or a kind judged as a whole)."""
    by_account: dict[str, list[int]] = {}
    local: list[int] = []
    for i, r in enumerate(resources):
        if r.account is None or r.kind in CLIENT_KINDS:
            local.append(i)
        else:
            by_account.setdefault(r.account, []).append(i)
    count = min(len(by_account), max(1, workers * per_worker))
    shards = [Shard([], []) for _ in range(count)]
    heap = [(0, n) for n in range(count)]
    for account, idx in sorted(by_account.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        size, n = heapq.heappop(heap)
        shards[n].accounts.append(account)
        shards[n].indices.extend(idx)
        heapq.heappush(heap, (size + len(idx), n))
    for s in shards:
        s.accounts.sort()
        s.indices.sort()
    return shards, local


# -- the worker side -----------------------------------------------------------------------------


def catalog_digest(catalog: Catalog) -> str:
    """What decides the verdicts besides the inventory and sansho.yaml: the version, the controls
    and the Rego. A worker whose sansho differs would judge differently, so it refuses the shard."""
    from .engine.rego import rego_files
    from .output import tool_version

    h = hashlib.sha256(tool_version().encode())
    for c in catalog:
        h.update(c.model_dump_json().encode())
    for f in rego_files():
        h.update(str(f.path.name).encode() + b"\0" + f.text.encode())
    return h.hexdigest()


@dataclasses.dataclass(frozen=True)
class JudgeSpec:
    """What every shard task carries besides its resources."""

    digest: str
    config: Config
    control_ids: tuple[str, ...]
    today: dt.date

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256((self.digest + self.config.model_dump_json()).encode()).hexdigest()


# One engine per worker process and catalog/config: compiling the Rego costs about a second.
_ENGINES: dict[str, Engine] = {}

# A finding as it travels back: control, status, position in the shard, en, ja, rule, evidence, suppression.
Row = tuple[str, str, int, str, str, str, Any, Any]


def _engine(spec: JudgeSpec) -> Engine:
    eng = _ENGINES.get(spec.fingerprint)
    if eng is None:
        from .catalog import load_catalog

        catalog = load_catalog()
        here = catalog_digest(catalog)
        if here != spec.digest:
            raise RuntimeError("this worker runs a different sansho (version, catalog or Rego) than the client")
        eng = Engine(catalog, spec.config)
        # the worker is the unit of parallelism here: no forked Rego children inside a Dask worker
        eng.backend.workers = 1  # type: ignore[union-attr]
        _ENGINES.clear()
        _ENGINES[spec.fingerprint] = eng
    return eng


class Packed:
    """A list that travels to or from a worker as one pickle. Dask looks into a list argument or
    result element by element: for a 14,000-resource shard that took 7 of the 10 s a shard
    spent on the cluster, against 0.4 s to pickle the list whole (measured)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def __getstate__(self) -> list[Any]:
        return self.items

    def __setstate__(self, items: list[Any]) -> None:
        self.items = items


def _run_packed(task: Callable[..., list[Row]], spec: JudgeSpec, shard: Packed) -> Packed:
    return Packed(task(spec, shard.items))


def judge_shard(spec: JudgeSpec, resources: list[Resource]) -> list[Row]:
    """Runs on a worker: judge one shard with the automated controls, findings as compact rows."""
    eng = _engine(spec)
    controls = [eng.catalog[c] for c in spec.control_ids]
    result = eng.scan(resources, controls, today=spec.today)
    pos = {id(r): i for i, r in enumerate(resources)}
    return [(f.control_id, f.status, pos[id(f.resource)], f.message_en, f.message_ja, f.rule, f.evidence,
             f.suppression) for f in result.findings]


# -- the client side -----------------------------------------------------------------------------


def _failed_findings(shard: Shard, resources: Sequence[Resource], controls: Sequence[Control], why: str
                     ) -> list[tuple[int, Finding]]:
    out = []
    for c in controls:
        for i in shard.indices:
            r = resources[i]
            if r.kind in c.applies_to:
                en = (f"not judged: the cluster shard of account {r.account} failed after {RETRIES + 1} attempts "
                      f"({why}); scan again")
                ja = (f"クラスタでアカウント {r.account} の判定に {RETRIES + 1} 回失敗したため判定できていません"
                      f"({why})。再度点検してください")
                out.append((i, Finding(c.id, "ERROR", r, en, ja, "cluster")))
    return out


def judge(client: Any, eng: Engine, resources: Sequence[Resource], controls: Sequence[Control],
          today: dt.date | None = None, *, shard_task: Callable[..., list[Row]] = judge_shard) -> ScanResult:
    """The same :class:`ScanResult` as ``eng.scan(resources, controls, today)``, judged on the cluster.

    ``shard_task`` is what the workers run (tests wrap it to kill a worker or fail a shard)."""
    from distributed import as_completed

    if eng.engine_name != "regorus":
        raise InputError("--cluster judges with the embedded regorus engine on every worker; "
                         "--engine opa cannot be combined with it")
    now = dt.datetime.now(dt.UTC)
    today = today or now.date()
    controls = list(controls)
    automated = [c for c in controls if c.check == "automated"]
    sharded = [c for c in automated if c.id not in WHOLE_INVENTORY_CONTROLS]
    whole = [c for c in automated if c.id in WHOLE_INVENTORY_CONTROLS]
    shards, local = plan_shards(resources, worker_count(client))
    spec = JudgeSpec(catalog_digest(eng.catalog), eng.config, tuple(c.id for c in sharded), today)
    run = uuid.uuid4().hex[:8]
    futures: dict[Any, tuple[int, Shard]] = {}
    # Shards travel inside their tasks (the scheduler keeps a task until it is done, so a shard
    # whose worker died can run again); at most two per worker are in flight, which bounds what
    # the scheduler and the client hold pickled at once.
    pending = list(enumerate(shards)) if sharded else []
    pending.reverse()
    in_flight = 2 * worker_count(client)

    def submit_next() -> Any:
        n, shard = pending.pop()
        part = [resources[i] for i in shard.indices]
        fut = client.submit(_run_packed, shard_task, spec, Packed(part), key=f"sansho-shard-{run}-{n}",
                            retries=RETRIES, pure=False)
        futures[fut] = (n, shard)
        return fut

    first = [submit_next() for _ in range(min(in_flight, len(pending)))]

    # on the client meanwhile: what has no account with every control, the whole-inventory controls
    local_resources = [resources[i] for i in local]
    base = eng.scan(local_resources, [c for c in controls if c.id not in WHOLE_INVENTORY_CONTROLS], today=today)
    position = {id(r): i for i, r in zip(local, local_resources, strict=True)}
    runs: dict[tuple[str, str], list[list[tuple[int, Finding]]]] = {}
    checks = {c.id: c.check for c in controls}
    rest: list[Finding] = []  # attestation findings: after the automated ones, as the engine orders them

    def add(items: list[tuple[int, Finding]]) -> None:
        """A run of findings in engine order: consecutive (control, kind) groups, ascending positions."""
        group: list[tuple[int, Finding]] = []
        key: tuple[str, str] | None = None
        for i, f in items:
            k = (f.control_id, f.resource.kind)
            if k != key:
                if group:
                    runs.setdefault(key, []).append(group)  # type: ignore[arg-type]
                group, key = [], k
            group.append((i, f))
        if group:
            runs.setdefault(key, []).append(group)  # type: ignore[arg-type]

    local_automated = []
    for f in base.findings:
        if checks[f.control_id] == "automated":
            local_automated.append((position[id(f.resource)], f))
        else:
            rest.append(f)
    add(local_automated)
    if whole:
        whole_result = eng.scan(resources, whole, today=today)
        index = {id(r): i for i, r in enumerate(resources)}
        add([(index[id(f.resource)], f) for f in whole_result.findings])

    failed: list[tuple[int, str]] = []
    done = as_completed(first)
    for fut in done:
        if pending:
            done.add(submit_next())
        n, shard = futures.pop(fut)
        try:
            rows = fut.result().items
        except Exception as e:  # noqa: BLE001 - a shard that failed is ERROR findings, never a gap
            fut.release()
            why = f"{type(e).__name__}: {first_line(e, 300)}"
            add(_failed_findings(shard, resources, sharded, why))
            failed.append((n, f"the {shard.label()} could not be judged on the cluster ({why}); its resources are "
                              f"ERROR / クラスタでアカウント {', '.join(shard.accounts[:5])} を判定できませんでした。該当資源は ERROR です"))
            continue
        items = []
        for cid, status, i, en, ja, rule, evidence, suppression in rows:
            g = shard.indices[i]
            items.append((g, Finding(cid, status, resources[g], en, ja, rule, evidence, suppression)))
        add(items)
        fut.release()

    findings: list[Finding] = []
    for c in automated:
        for kind in c.applies_to:
            groups = runs.get((c.id, kind))
            if groups:
                findings.extend(f for _, f in heapq.merge(*groups, key=lambda t: t[0]))
    findings.extend(rest)
    notes = list(base.notes) + [note for _, note in sorted(failed)]
    return ScanResult(findings, controls, list(resources), now, today, eng.engine_name,
                      base.expired_suppressions, notes)


# -- live collection -------------------------------------------------------------------------------


def collect_live(client: Any, opts: Any) -> tuple[list[Resource], list[CollectionError]] | None:
    """``--live aws --org-role ROLE``: the client lists the accounts, each worker reads one account
    with its own credential chain. None for any other live source: the caller collects on the
    client as without ``--cluster`` (only the judging is spread then)."""
    if opts.source != "aws" or not opts.org_role:
        return None
    from rich.console import Console

    require("boto3", "the AWS collector")
    from sansho.collectors.aws import ReadError, collect_org_account, plan_org
    from sansho.collectors.aws.org import merge_organization

    caller, ids, errors, calls = plan_org(opts.profile, opts.role_arn, opts.endpoint_url)
    futures = client.map(collect_org_account, ids, caller=caller, org_role=opts.org_role, profile=opts.profile,
                         regions=opts.regions, role_arn=opts.role_arn, endpoint_url=opts.endpoint_url,
                         tag_keys=opts.tag_keys, key=[f"sansho-aws-{uuid.uuid4().hex[:8]}-{a}" for a in ids],
                         retries=RETRIES, pure=False)
    results = []
    for account, fut in zip(ids, futures, strict=True):
        try:
            results.append(fut.result())
        except Exception as e:  # noqa: BLE001 - an account whose worker kept failing is a read error
            results.append(ReadError("sts", None, "(cluster)", f"the account could not be read on the cluster "
                                     f"after {RETRIES + 1} attempts: {type(e).__name__}: {first_line(e, 300)}",
                                     f"aws:account:{account}"))
    coll = merge_organization(caller, ids, results, errors, calls)
    Console(stderr=True).print(coll.summary_line(), highlight=False, soft_wrap=True)
    return coll.resources, [CollectionError.model_validate(e.as_dict()) for e in coll.errors]

