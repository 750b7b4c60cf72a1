"""AWS document semantics shared by the live collector and the IaC reader."""

from __future__ import annotations

from sansho.collectors.aws_documents import (
    denies_insecure_transport,
    elb_policy_min_tls,
    interval_days,
    policy_public,
    tls_floor,
)

DENY_HTTP = {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def test_bucket_policy_semantics():
    public = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}]}
    vpc_only = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                               "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}
    assert policy_public(public) is True
    assert policy_public(vpc_only) is False and policy_public(None) is False
    assert denies_insecure_transport({"Statement": [DENY_HTTP]}) is True
    assert denies_insecure_transport(public) is False
    raised = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                             "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.3"}}}]}
    assert tls_floor(raised) == "1.3" and tls_floor(public) == "1.2"


def test_schedules_and_elb_policies():
    assert interval_days("cron(0 3 * * ? *)") == 1.0
    assert interval_days("rate(12 hours)") == 0.5
    assert interval_days("cron(0 3 ? * SUN *)") == 7.0
    assert interval_days("cron(0 3 1-5 * ? *)") is None
    assert elb_policy_min_tls("ELBSecurityPolicy-TLS13-1-2-2021-06") == "1.2"


def test_grants_full_admin():
    from sansho.collectors.aws_documents import grants_full_admin

    def doc(**st):
        return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **st}]}

    assert grants_full_admin(doc(Action="*", Resource="*"))
    assert grants_full_admin(doc(Action=["s3:GetObject", "*:*"], Resource=["*"]))
    # a condition says when or from where, not what: still everything
    assert grants_full_admin(doc(Action="*", Resource="*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
    assert not grants_full_admin(doc(Action="*", Resource="arn:aws:s3:::records/*"))
    assert not grants_full_admin(doc(Action="s3:*", Resource="*"))
    assert not grants_full_admin(doc(NotAction="iam:*", Resource="*"))  # PowerUserAccess-like: not counted
    assert not grants_full_admin({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})
    assert not grants_full_admin(None)
