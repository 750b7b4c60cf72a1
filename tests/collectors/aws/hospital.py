"""A hospital's AWS account on the moto server: Tokyo, Osaka and a US region, good and bad resources.

``build(endpoint)`` creates everything through real boto3 clients and returns the ids the tests
assert on. Names say what each resource is for; ``bad-*`` resources are built to fail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import boto3
from botocore.config import Config

ACCOUNT = "123456789012"
TOKYO, OSAKA, US = "ap-northeast-1", "ap-northeast-3", "us-east-1"
REGIONS = (TOKYO, OSAKA, US)
VENDOR_ACCOUNT = "210987654321"
HOSPITAL_PURPOSE_KEY = "hospital:account-use"  # the hospital's own tag key for who an identity is for  # a maintenance vendor's account a snapshot is shared with
# pgaudit loaded and logging reads and writes: with the postgresql log exported, SAN-LOG-007 passes
PGAUDIT = ({"ParameterName": "shared_preload_libraries", "ParameterValue": "pg_stat_statements,pgaudit",
            "ApplyMethod": "pending-reboot"},
           {"ParameterName": "pgaudit.log", "ParameterValue": "read,write,ddl,role", "ApplyMethod": "immediate"})
STORE_TAGS = {"data-classification": "要配慮個人情報", "retention": "5年", "backup-frequency": "日次"}


@dataclass
class Estate:
    ids: dict[str, str] = field(default_factory=dict)
    default_vpcs: dict[str, str] = field(default_factory=dict)  # region → vpc arn
    default_subnets: dict[str, list[str]] = field(default_factory=dict)  # region → subnet arns
    default_nacl_entries: set[str] = field(default_factory=set)  # every default ACL's allow-all entry #100


def _c(endpoint: str, service: str, region: str):
    return boto3.client(service, region_name=region, endpoint_url=endpoint,
                        aws_access_key_id="AKIAFAKEBUILDER00000", aws_secret_access_key="builder-fake-secret",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def _tags(d: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in d.items()]


def tls_policy(bucket: str, extra: list | None = None) -> str:
    st = [{"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
           "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
    return json.dumps({"Version": "2012-10-17", "Statement": st + (extra or [])})


def build(endpoint: str) -> Estate:
    e = Estate()
    ids = e.ids
    kms = {r: _c(endpoint, "kms", r) for r in REGIONS}

    # ---- KMS
    ehr_key = kms[TOKYO].create_key(Description="ehr")["KeyMetadata"]
    kms[TOKYO].create_alias(AliasName="alias/hospital-ehr", TargetKeyId=ehr_key["KeyId"])
    kms[TOKYO].enable_key_rotation(KeyId=ehr_key["KeyId"])
    ids["key_ehr"] = ehr_key["Arn"]
    bad_key = kms[TOKYO].create_key(Description="pacs, never rotated")["KeyMetadata"]
    ids["key_norotate"] = bad_key["Arn"]
    gone = kms[OSAKA].create_key(Description="retired")["KeyMetadata"]
    kms[OSAKA].schedule_key_deletion(KeyId=gone["KeyId"], PendingWindowInDays=7)
    ids["key_pending"] = gone["Arn"]

    # ---- S3
    s3 = {r: _c(endpoint, "s3", r) for r in REGIONS}

    def bucket(name: str, region: str, *, lock: bool = False, tags: dict[str, str] | None = None) -> str:
        kw: dict = {"Bucket": name}
        if region != US:
            kw["CreateBucketConfiguration"] = {"LocationConstraint": region}
        if lock:
            kw["ObjectLockEnabledForBucket"] = True
        s3[region].create_bucket(**kw)
        if tags:
            s3[region].put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tags(tags)})
        return f"arn:aws:s3:::{name}"

    def kms_enc(region: str, name: str, key: str | None) -> None:
        rule = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key} if key else {"SSEAlgorithm": "AES256"}
        s3[region].put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": rule}]})

    def good(name: str, region: str, key: str | None = None, lock: bool = True, extra_tags: dict | None = None,
             mode: str = "COMPLIANCE") -> str:
        arn = bucket(name, region, lock=lock, tags={**STORE_TAGS, "sansho:medical": "true", **(extra_tags or {})})
        kms_enc(region, name, key)
        s3[region].put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3[region].put_bucket_policy(Bucket=name, Policy=tls_policy(name))
        s3[region].put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        if lock:
            s3[region].put_object_lock_configuration(Bucket=name, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": mode, "Years": 10}}})
        return arn

    ids["b_ehr_osaka"] = good("hospital-ehr-backup-osaka", OSAKA)
    ids["b_ehr_tokyo"] = good("hospital-ehr-backup-tokyo", TOKYO, key=ehr_key["Arn"])
    s3[TOKYO].put_bucket_replication(Bucket="hospital-ehr-backup-tokyo", ReplicationConfiguration={
        "Role": f"arn:aws:iam::{ACCOUNT}:role/replication", "Rules": [{
            "ID": "dr", "Status": "Enabled", "Priority": 1, "Filter": {},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": ids["b_ehr_osaka"]}}]})
    ids["b_pacs_us"] = good("bad-pacs-ai-pilot-us", US, lock=False)
    ids["b_pacs_tokyo"] = good("bad-pacs-images-tokyo", TOKYO, lock=False)
    s3[TOKYO].put_bucket_replication(Bucket="bad-pacs-images-tokyo", ReplicationConfiguration={
        "Role": f"arn:aws:iam::{ACCOUNT}:role/replication", "Rules": [{
            "ID": "ai", "Status": "Enabled", "Priority": 1, "Filter": {},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": ids["b_pacs_us"]}}]})
    ids["b_records_ok"] = good("hospital-finalised-records", TOKYO, extra_tags={"sansho-records": "finalised"})
    ids["b_records_bad"] = good("bad-finalised-records-unlocked", TOKYO, lock=False,
                                extra_tags={"sansho-records": "finalised"})
    # Object Lock in GOVERNANCE mode: a user with s3:BypassGovernanceRetention can delete the records
    ids["b_records_governance"] = good("bad-finalised-records-governance", TOKYO, mode="GOVERNANCE",
                                       extra_tags={"sansho-records": "finalised"})
    # unencrypted, no TLS policy, no versioning, no storage tags
    ids["b_lab"] = bucket("bad-lab-results-export", TOKYO, tags={"sansho:medical": "true"})
    # public website: a public-read policy and no Public Access Block
    ids["b_web"] = bucket("hospital-website", TOKYO, tags={"sansho:medical": "false"})
    kms_enc(TOKYO, "hospital-website", None)
    s3[TOKYO].put_bucket_versioning(Bucket="hospital-website", VersioningConfiguration={"Status": "Enabled"})
    s3[TOKYO].put_bucket_policy(Bucket="hospital-website", Policy=tls_policy("hospital-website", [
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::hospital-website/*"}]))
    ids["b_trail_locked"] = good("hospital-cloudtrail-logs", TOKYO)
    ids["b_trail_plain"] = bucket("bad-osaka-trail-logs", OSAKA, tags={"sansho:medical": "false"})
    ids["b_trail_governance"] = good("bad-governance-trail-logs", TOKYO, mode="GOVERNANCE")

    # ---- RDS
    rds = {r: _c(endpoint, "rds", r) for r in REGIONS}
    for r in REGIONS:
        rds[r].create_db_parameter_group(DBParameterGroupName="pg-tls", DBParameterGroupFamily="postgres16",
                                         Description="TLS required")
        rds[r].modify_db_parameter_group(DBParameterGroupName="pg-tls", Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}, *PGAUDIT])
    rds[TOKYO].create_db_parameter_group(DBParameterGroupName="mysql-plain", DBParameterGroupFamily="mysql8.0",
                                         Description="no TLS requirement")
    # SAN-LOG-007: MySQL audits through the MariaDB audit plugin option, and the audit log is exported
    rds[TOKYO].create_db_parameter_group(DBParameterGroupName="mysql-tls", DBParameterGroupFamily="mysql8.0",
                                         Description="TLS required")
    rds[TOKYO].modify_db_parameter_group(DBParameterGroupName="mysql-tls", Parameters=[
        {"ParameterName": "require_secure_transport", "ParameterValue": "1", "ApplyMethod": "immediate"}])
    rds[TOKYO].create_option_group(OptionGroupName="mysql-audit", EngineName="mysql", MajorEngineVersion="8.0",
                                   OptionGroupDescription="MariaDB audit plugin")
    rds[TOKYO].modify_option_group(OptionGroupName="mysql-audit", ApplyImmediately=True, OptionsToInclude=[
        {"OptionName": "MARIADB_AUDIT_PLUGIN", "OptionSettings": [
            {"Name": "SERVER_AUDIT_EVENTS", "Value": "CONNECT,QUERY"}]}])
    # Audit logs that record no reads (システム運用編 17 ①): the plugin logging connections and DDL only,
    # and pgaudit logging DDL only. Both are kept and exported, and both used to pass SAN-LOG-007.
    rds[TOKYO].create_option_group(OptionGroupName="mysql-audit-ddl", EngineName="mysql", MajorEngineVersion="8.0",
                                   OptionGroupDescription="MariaDB audit plugin, DDL only")
    rds[TOKYO].modify_option_group(OptionGroupName="mysql-audit-ddl", ApplyImmediately=True, OptionsToInclude=[
        {"OptionName": "MARIADB_AUDIT_PLUGIN", "OptionSettings": [
            {"Name": "SERVER_AUDIT_EVENTS", "Value": "CONNECT,QUERY_DDL"}]}])
    rds[TOKYO].create_db_parameter_group(DBParameterGroupName="pg-audit-ddl", DBParameterGroupFamily="postgres16",
                                         Description="TLS required, pgaudit DDL only")
    rds[TOKYO].modify_db_parameter_group(DBParameterGroupName="pg-audit-ddl", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"},
        {"ParameterName": "shared_preload_libraries", "ParameterValue": "pgaudit", "ApplyMethod": "pending-reboot"},
        {"ParameterName": "pgaudit.log", "ParameterValue": "ddl", "ApplyMethod": "immediate"}])

    def db(region: str, name: str, *, engine: str = "postgres", group: str = "pg-tls", encrypted: bool = True,
           public: bool = False, retention: int = 35, tags: dict | None = None, exports: tuple[str, ...] = (),
           options: str | None = None) -> str:
        kw: dict = {"DBInstanceIdentifier": name, "Engine": engine, "DBInstanceClass": "db.t3.micro",
                    "AllocatedStorage": 20, "MasterUsername": "dbadmin", "MasterUserPassword": "not-a-real-pass1",
                    "StorageEncrypted": encrypted, "PubliclyAccessible": public,
                    "BackupRetentionPeriod": retention, "DBParameterGroupName": group,
                    "Tags": _tags({**STORE_TAGS, "sansho:medical": "true", **(tags or {})})}
        if encrypted and region == TOKYO:
            kw["KmsKeyId"] = ehr_key["Arn"]
        if exports:
            kw["EnableCloudwatchLogsExports"] = list(exports)
        if options:
            kw["OptionGroupName"] = options
        r = rds[region].create_db_instance(**kw)
        return r["DBInstance"]["DBInstanceArn"]

    ids["db_ehr"] = db(TOKYO, "hospital-ehr-db", exports=("postgresql",))  # its replica inherits the export
    ids["db_ehr_replica"] = rds[OSAKA].create_db_instance_read_replica(
        DBInstanceIdentifier="hospital-ehr-db-replica", SourceDBInstanceIdentifier=ids["db_ehr"],
        DBInstanceClass="db.t3.micro", DBParameterGroupName="pg-tls",
        Tags=_tags({**STORE_TAGS, "sansho:medical": "true"}))["DBInstance"]["DBInstanceArn"]
    ids["db_research"] = db(TOKYO, "bad-research-db-us-replica")
    ids["db_research_replica"] = rds[US].create_db_instance_read_replica(
        DBInstanceIdentifier="bad-research-db-replica-us", SourceDBInstanceIdentifier=ids["db_research"],
        DBInstanceClass="db.t3.micro", DBParameterGroupName="pg-tls",
        Tags=_tags({**STORE_TAGS, "sansho:medical": "true"}))["DBInstance"]["DBInstanceArn"]
    ids["db_lab"] = db(TOKYO, "bad-lab-db", engine="mysql", group="mysql-plain", encrypted=False, public=True,
                       retention=1)
    ids["db_lab_audited"] = db(TOKYO, "hospital-lab-mysql", engine="mysql", group="mysql-tls", exports=("audit",),
                               options="mysql-audit")
    ids["db_mysql_ddl"] = db(TOKYO, "bad-mysql-audit-ddl-only", engine="mysql", group="mysql-tls",
                             exports=("audit",), options="mysql-audit-ddl")
    ids["db_pg_ddl"] = db(TOKYO, "bad-pgaudit-ddl-only", group="pg-audit-ddl", exports=("postgresql",))

    # ---- EC2 / VPC
    ec2 = {r: _c(endpoint, "ec2", r) for r in REGIONS}
    for r in REGIONS:
        dv = ec2[r].describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        e.default_vpcs[r] = f"arn:aws:ec2:{r}:{ACCOUNT}:vpc/{dv}"
        e.default_subnets[r] = [s["SubnetArn"] for s in ec2[r].describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [dv]}])["Subnets"]]

    t = ec2[TOKYO]
    vpc = t.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": _tags(
        {"Name": "prod-vpc", "sansho:zone": "medical"})}])["Vpc"]["VpcId"]
    ids["vpc_prod"] = f"arn:aws:ec2:{TOKYO}:{ACCOUNT}:vpc/{vpc}"
    pub = t.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="ap-northeast-1a")["Subnet"]
    priv = t.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="ap-northeast-1c")["Subnet"]
    ids["subnet_public"], ids["subnet_private"] = pub["SubnetArn"], priv["SubnetArn"]
    igw = t.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    t.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = t.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    t.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    t.associate_route_table(RouteTableId=rt, SubnetId=pub["SubnetId"])
    t.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                       LogDestination="arn:aws:s3:::hospital-cloudtrail-logs")
    dsg = t.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                              {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    if dsg.get("IpPermissionsEgress"):
        t.revoke_security_group_egress(GroupId=dsg["GroupId"], IpPermissions=dsg["IpPermissionsEgress"])
    if dsg.get("IpPermissions"):
        t.revoke_security_group_ingress(GroupId=dsg["GroupId"], IpPermissions=dsg["IpPermissions"])

    def sg(name: str, perms: list[dict]) -> dict[str, str]:
        gid = t.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        t.authorize_security_group_ingress(GroupId=gid, IpPermissions=perms)
        rules = t.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [gid]}])["SecurityGroupRules"]
        out = {}
        for r in rules:
            if r["IsEgress"]:
                continue
            src = r.get("CidrIpv4") or r.get("CidrIpv6")
            out[f"{r['IpProtocol']}:{r.get('FromPort')}:{src}"] = (
                f"arn:aws:ec2:{TOKYO}:{ACCOUNT}:security-group-rule/{r['SecurityGroupRuleId']}")
        return out

    web = sg("alb", [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    ])
    ids["sgr_https"], ids["sgr_ssh_world"] = web["tcp:443:0.0.0.0/0"], web["tcp:22:0.0.0.0/0"]
    dbsg = sg("db", [
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]},
    ])
    ids["sgr_pg_world"], ids["sgr_mysql_vpc"] = dbsg["tcp:5432:::/0"], dbsg["tcp:3306:10.0.0.0/16"]
    wide = sg("legacy-any", [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ids["sgr_all_world"] = next(iter(wide.values()))

    o = ec2[OSAKA]
    lv = o.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ids["vpc_legacy"] = f"arn:aws:ec2:{OSAKA}:{ACCOUNT}:vpc/{lv}"
    ids["subnet_legacy"] = o.create_subnet(VpcId=lv, CidrBlock="10.9.1.0/24",
                                           AvailabilityZone="ap-northeast-3a")["Subnet"]["SubnetArn"]

    # ---- EBS
    def vol(region: str, encrypted: bool, name: str) -> tuple[str, str]:
        v = ec2[region].create_volume(Size=1, AvailabilityZone=f"{region}a", Encrypted=encrypted,
                                      TagSpecifications=[{"ResourceType": "volume", "Tags": _tags({"Name": name})}])
        return v["VolumeId"], f"arn:aws:ec2:{region}:{ACCOUNT}:volume/{v['VolumeId']}"

    vid, ids["vol_ok"] = vol(TOKYO, True, "ehr-data")
    snap = t.create_snapshot(VolumeId=vid, Description="ehr-data daily")["SnapshotId"]
    ids["snap_ok"] = f"arn:aws:ec2:{TOKYO}:{ACCOUNT}:snapshot/{snap}"
    bvid, ids["vol_plain"] = vol(TOKYO, False, "bad-unencrypted")
    bsnap = t.create_snapshot(VolumeId=bvid, Description="bad public snapshot")["SnapshotId"]
    t.modify_snapshot_attribute(SnapshotId=bsnap, Attribute="createVolumePermission", OperationType="add",
                                GroupNames=["all"])
    ids["snap_public"] = f"arn:aws:ec2:{TOKYO}:{ACCOUNT}:snapshot/{bsnap}"
    _, ids["vol_us"] = vol(US, True, "bad-us-volume")

    # ---- IAM
    iam = _c(endpoint, "iam", US)

    def user(name: str, *, console: bool = True, mfa: bool = False, key: bool = False, tags: dict | None = None) -> str:
        arn = iam.create_user(UserName=name, Tags=_tags(tags or {}))["User"]["Arn"]
        if console:
            iam.create_login_profile(UserName=name, Password="Not-a-real-Passw0rd!")
        if mfa:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456",
                                  AuthenticationCode2="654321")
        if key:
            iam.create_access_key(UserName=name)
        return arn

    ids["u_ok"] = user("yamada.taro", mfa=True, key=True)
    ids["u_nomfa"] = user("bad-suzuki-no-mfa")
    ids["u_maint_never"] = user("bad-vendor-maint", console=False, key=True,
                                tags={"sansho:purpose": "maintenance"})
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    ids["u_maint_ok"] = user("vendor-maint-limited", console=False,
                             tags={"sansho:purpose": "maintenance", "sansho:expires": soon})
    ids["u_breakglass"] = user("bad-breakglass", mfa=True, key=True, tags={"sansho:purpose": "break_glass"})
    ids["u_shared"] = user("bad-ward-terminal", mfa=True, tags={"sansho:shared": "true"})
    # tagged with the hospital's own key: a break-glass identity only with tag_keys.purpose set in sansho.yaml
    ids["u_custom_breakglass"] = user("bad-night-duty-emergency", mfa=True, key=True,
                                      tags={HOSPITAL_PURPOSE_KEY: "break-glass"})

    admin_doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    ro_doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::hospital-website/*"}]})
    human = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}]})
    svc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                              "Principal": {"Service": "ec2.amazonaws.com"}}]})
    admin_policy = iam.create_policy(PolicyName="everything", PolicyDocument=admin_doc)["Policy"]["Arn"]
    ro_policy = iam.create_policy(PolicyName="website-read", PolicyDocument=ro_doc)["Policy"]["Arn"]
    ids["r_admin"] = iam.create_role(RoleName="bad-infra-admin", AssumeRolePolicyDocument=human)["Role"]["Arn"]
    iam.attach_role_policy(RoleName="bad-infra-admin", PolicyArn=admin_policy)
    ids["r_inline_admin"] = iam.create_role(RoleName="bad-inline-admin", AssumeRolePolicyDocument=svc)["Role"]["Arn"]
    iam.put_role_policy(RoleName="bad-inline-admin", PolicyName="all", PolicyDocument=admin_doc)
    ids["r_breakglass"] = iam.create_role(RoleName="breakglass-role", AssumeRolePolicyDocument=human,
                                         Tags=_tags({"sansho:purpose": "break_glass"}))["Role"]["Arn"]
    iam.attach_role_policy(RoleName="breakglass-role", PolicyArn=admin_policy)
    ids["r_app"] = iam.create_role(RoleName="app-role", AssumeRolePolicyDocument=svc)["Role"]["Arn"]
    iam.attach_role_policy(RoleName="app-role", PolicyArn=ro_policy)
    # 8 mixed characters, passwords never expire, and bad-suzuki-no-mfa signs in with a password alone:
    # none of the 6.0 Q&A シQ-54 conditions holds (13 characters; 8 changed within 60 days; 8 with MFA)
    iam.update_account_password_policy(MinimumPasswordLength=8, RequireNumbers=True, RequireSymbols=True,
                                       RequireUppercaseCharacters=True, RequireLowercaseCharacters=True)

    # Users and groups with full administrative rights (SAN-IAM-011). AWS managed policies are
    # loaded into moto (conftest), so AdministratorAccess and ReadOnlyAccess are real documents.
    admin_access, read_only = "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.attach_user_policy(UserName="yamada.taro", PolicyArn=read_only)  # u_ok: an AWS managed policy, read
    ids["u_inline_admin"] = user("bad-ops-inline-admin", console=False)
    iam.put_user_policy(UserName="bad-ops-inline-admin", PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": "*",
                                                  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
    ids["u_group_admin"] = user("bad-infra-group-member", mfa=True)
    ids["g_admins"] = iam.create_group(GroupName="bad-infra-admins")["Group"]["Arn"]
    iam.attach_group_policy(GroupName="bad-infra-admins", PolicyArn=admin_access)
    iam.add_user_to_group(GroupName="bad-infra-admins", UserName="bad-infra-group-member")
    ids["g_readers"] = iam.create_group(GroupName="ward-readers")["Group"]["Arn"]
    iam.attach_group_policy(GroupName="ward-readers", PolicyArn=read_only)
    iam.add_user_to_group(GroupName="ward-readers", UserName="yamada.taro")
    iam.add_user_to_group(GroupName="ward-readers", UserName="bad-suzuki-no-mfa")
    # the break-glass user holds AdministratorAccess directly and through a group of break-glass users only
    iam.attach_user_policy(UserName="bad-breakglass", PolicyArn=admin_access)
    ids["g_breakglass"] = iam.create_group(GroupName="emergency-access")["Group"]["Arn"]
    iam.attach_group_policy(GroupName="emergency-access", PolicyArn=admin_access)
    iam.add_user_to_group(GroupName="emergency-access", UserName="bad-breakglass")

    # ---- CloudTrail
    ct_t, ct_o = _c(endpoint, "cloudtrail", TOKYO), _c(endpoint, "cloudtrail", OSAKA)
    ids["trail_ok"] = ct_t.create_trail(Name="org-trail", S3BucketName="hospital-cloudtrail-logs",
                                        IsMultiRegionTrail=True, EnableLogFileValidation=True)["TrailARN"]
    ct_t.start_logging(Name="org-trail")
    # every region, validated, but into a bucket whose Object Lock is in GOVERNANCE mode (SAN-LOG-003 FAIL)
    ids["trail_governance"] = ct_t.create_trail(Name="bad-governance-trail", S3BucketName="bad-governance-trail-logs",
                                                IsMultiRegionTrail=True, EnableLogFileValidation=True)["TrailARN"]
    ct_t.start_logging(Name="bad-governance-trail")
    ids["trail_bad"] = ct_o.create_trail(Name="bad-osaka-trail", S3BucketName="bad-osaka-trail-logs")["TrailARN"]
    # the locked bucket keeps logs 10 years (Object Lock); the Osaka one deletes them after 90 days
    s3[OSAKA].put_bucket_lifecycle_configuration(Bucket="bad-osaka-trail-logs", LifecycleConfiguration={"Rules": [
        {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "AWSLogs/"}, "Expiration": {"Days": 90}}]})
    s3[TOKYO].put_bucket_lifecycle_configuration(Bucket="hospital-cloudtrail-logs", LifecycleConfiguration={"Rules": [
        {"ID": "flow-logs", "Status": "Enabled", "Filter": {"Prefix": "flowlogs/"}, "Expiration": {"Days": 30}}]})

    # ---- GuardDuty
    gd_id = _c(endpoint, "guardduty", TOKYO).create_detector(Enable=True)["DetectorId"]
    ids["gd_tokyo"] = f"arn:aws:guardduty:{TOKYO}:{ACCOUNT}:detector/{gd_id}"
    gd_o = _c(endpoint, "guardduty", OSAKA).create_detector(Enable=False)["DetectorId"]
    ids["gd_osaka"] = f"arn:aws:guardduty:{OSAKA}:{ACCOUNT}:detector/{gd_o}"
    ids["gd_us"] = f"arn:aws:guardduty:{US}:{ACCOUNT}:detector"

    # ---- AWS Backup
    bk = {r: _c(endpoint, "backup", r) for r in REGIONS}

    def vault(region: str, name: str, lock: str | None) -> str:
        """lock: "compliance" (ChangeableForDays elapsed: immutable), "grace" (compliance mode still within
        ChangeableForDays), "governance" (no ChangeableForDays), None (no Vault Lock)."""
        from . import moto_shims

        arn = bk[region].create_backup_vault(BackupVaultName=name)["BackupVaultArn"]
        if lock == "governance":
            bk[region].put_backup_vault_lock_configuration(BackupVaultName=name, MinRetentionDays=7)
        elif lock in ("compliance", "grace"):
            bk[region].put_backup_vault_lock_configuration(BackupVaultName=name, MinRetentionDays=7,
                                                           ChangeableForDays=3)
            if lock == "compliance":
                moto_shims.pass_lock_date(ACCOUNT, region, name)
        return arn

    ids["v_ehr"] = vault(TOKYO, "ehr-vault", "compliance")
    ids["v_dr"] = vault(OSAKA, "ehr-vault-dr", "compliance")
    ids["v_pacs"] = vault(TOKYO, "bad-pacs-vault-unlocked", None)
    ids["v_us"] = vault(US, "bad-us-copies", None)
    # Vault Lock a privileged user can still remove: governance mode, and compliance mode before its lock date
    ids["v_governance"] = vault(TOKYO, "bad-vault-governance", "governance")
    ids["v_grace"] = vault(OSAKA, "bad-vault-lock-in-grace", "grace")
    ids["p_ehr"] = bk[TOKYO].create_backup_plan(BackupPlan={"BackupPlanName": "ehr-daily", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "ehr-vault", "ScheduleExpression": "cron(0 17 ? * * *)",
        "Lifecycle": {"DeleteAfterDays": 35},
        "CopyActions": [{"DestinationBackupVaultArn": ids["v_dr"], "Lifecycle": {"DeleteAfterDays": 35}}]}]})["BackupPlanArn"]
    ids["p_pacs"] = bk[TOKYO].create_backup_plan(BackupPlan={"BackupPlanName": "bad-pacs-weekly", "Rules": [{
        "RuleName": "weekly", "TargetBackupVaultName": "bad-pacs-vault-unlocked",
        "ScheduleExpression": "cron(0 17 ? * SUN *)", "Lifecycle": {"DeleteAfterDays": 14},
        "CopyActions": [{"DestinationBackupVaultArn": ids["v_us"], "Lifecycle": {"DeleteAfterDays": 14}}]}]})["BackupPlanArn"]
    # backs up only into the governance-mode vault: no write-once copy (SAN-BKP-007, SAN-BKP-010 FAIL)
    ids["p_governance"] = bk[TOKYO].create_backup_plan(BackupPlan={"BackupPlanName": "bad-governance-daily", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "bad-vault-governance",
        "ScheduleExpression": "cron(0 18 ? * * *)", "Lifecycle": {"DeleteAfterDays": 35}}]})["BackupPlanArn"]
    build_more(endpoint, e, ehr_key["Arn"], pub["SubnetId"], priv["SubnetId"], vpc)
    return e


def build_more(endpoint: str, e: Estate, ehr_key: str, subnet_a: str, subnet_c: str, vpc: str) -> None:
    """ELBv2 listeners, DynamoDB tables and EFS file systems."""
    ids = e.ids
    # ---- ELBv2 (Tokyo)
    elb = _c(endpoint, "elbv2", TOKYO)
    cert = _c(endpoint, "acm", TOKYO).request_certificate(DomainName="ehr.hospital.example.jp")["CertificateArn"]
    alb = elb.create_load_balancer(Name="ehr-portal", Subnets=[subnet_a, subnet_c], Type="application",
                                   Scheme="internet-facing")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="ehr-web", Protocol="HTTP", Port=8080, VpcId=vpc,
                                 TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    forward = [{"Type": "forward", "TargetGroupArn": tg}]

    def listener(lb: str, proto: str, port: int, actions: list, policy: str | None = None) -> str:
        kw: dict = {"LoadBalancerArn": lb, "Protocol": proto, "Port": port, "DefaultActions": actions}
        if policy:
            kw.update(SslPolicy=policy, Certificates=[{"CertificateArn": cert}])
        return elb.create_listener(**kw)["Listeners"][0]["ListenerArn"]

    ids["lst_https_ok"] = listener(alb, "HTTPS", 443, forward, "ELBSecurityPolicy-TLS13-1-2-2021-06")
    ids["lst_https_old"] = listener(alb, "HTTPS", 8443, forward, "ELBSecurityPolicy-2016-08")
    ids["lst_http_redirect"] = listener(alb, "HTTP", 80, [{"Type": "redirect", "RedirectConfig": {
        "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
    ids["lst_http_plain"] = listener(alb, "HTTP", 8080, forward)
    nlb = elb.create_load_balancer(Name="pacs-dicom", Subnets=[subnet_a, subnet_c], Type="network",
                                   Scheme="internal")["LoadBalancers"][0]["LoadBalancerArn"]
    tg_tcp = elb.create_target_group(Name="pacs-dicom", Protocol="TCP", Port=104, VpcId=vpc,
                                     TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    ids["lst_tcp"] = listener(nlb, "TCP", 104, [{"Type": "forward", "TargetGroupArn": tg_tcp}])

    # ---- DynamoDB (Tokyo)
    ddb = _c(endpoint, "dynamodb", TOKYO)

    def tbl(name: str, *, key: str | None = None, pitr: bool = False, replicas: tuple[str, ...] = (),
            tags: dict | None = None) -> str:
        kw: dict = {"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "BillingMode": "PAY_PER_REQUEST", "Tags": _tags({"sansho:medical": "true", **(tags or {})})}
        if key:
            kw["SSESpecification"] = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
        arn = ddb.create_table(**kw)["TableDescription"]["TableArn"]
        if pitr:
            ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
                "PointInTimeRecoveryEnabled": True})
        if replicas:
            ddb.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": r}} for r in replicas])
        return arn

    ids["ddb_ehr"] = tbl("hospital-ehr-sessions", key=ehr_key, pitr=True, replicas=(OSAKA,), tags=STORE_TAGS)
    ids["ddb_queue"] = tbl("bad-lab-order-queue", replicas=(US,))
    ddb.put_resource_policy(ResourceArn=ids["ddb_queue"], Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": ids["ddb_queue"]}]}))
    ddb.put_resource_policy(ResourceArn=ids["ddb_ehr"], Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "dynamodb:*", "Resource": ids["ddb_ehr"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))

    # ---- EFS (Tokyo)
    efs = _c(endpoint, "efs", TOKYO)
    ids["efs_ok"] = efs.create_file_system(CreationToken="pacs-cache", Encrypted=True, KmsKeyId=ehr_key,
                                           Tags=_tags({"Name": "pacs-cache"}))["FileSystemArn"]
    ids["efs_plain"] = efs.create_file_system(CreationToken="bad-scan-share", Encrypted=False,
                                              Tags=_tags({"Name": "bad-scan-share"}))["FileSystemArn"]
    build_extra(endpoint, e, ehr_key, subnet_c, vpc)


def build_extra(endpoint: str, e: Estate, ehr_key: str, private_subnet: str, vpc: str) -> None:
    """Aurora clusters and a global database, RDS snapshots, network ACLs, EBS encryption by
    default, EC2 instances with Patch Manager states, and AWS Backup recovery points and restores."""
    from . import moto_shims

    ids = e.ids
    today = dt.datetime.now(dt.UTC)
    # ---- Aurora (cluster parameter groups carry the TLS setting)
    rds = {r: _c(endpoint, "rds", r) for r in REGIONS}
    rds[TOKYO].create_db_cluster_parameter_group(DBClusterParameterGroupName="apg-tls", Description="TLS required",
                                                 DBParameterGroupFamily="aurora-postgresql16")
    rds[TOKYO].modify_db_cluster_parameter_group(DBClusterParameterGroupName="apg-tls", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}, *PGAUDIT])
    rds[TOKYO].create_db_cluster_parameter_group(DBClusterParameterGroupName="amysql-plain", Description="no TLS",
                                                 DBParameterGroupFamily="aurora-mysql8.0")

    def cluster(region: str, name: str, *, engine: str = "aurora-postgresql", group: str | None = "apg-tls",
                encrypted: bool = True, retention: int = 35, public: bool = False, global_id: str | None = None,
                exports: tuple[str, ...] = ()) -> str:
        kw: dict = {"DBClusterIdentifier": name, "Engine": engine, "MasterUsername": "dbadmin",
                    "MasterUserPassword": "not-a-real-pass1", "StorageEncrypted": encrypted,
                    "BackupRetentionPeriod": retention, "Tags": _tags({**STORE_TAGS, "sansho:medical": "true"})}
        if group:
            kw["DBClusterParameterGroupName"] = group
        if encrypted and region == TOKYO:
            kw["KmsKeyId"] = ehr_key
        if global_id:
            kw["GlobalClusterIdentifier"] = global_id
        if exports:
            kw["EnableCloudwatchLogsExports"] = list(exports)
        arn = rds[region].create_db_cluster(**kw)["DBCluster"]["DBClusterArn"]
        rds[region].create_db_instance(DBInstanceIdentifier=f"{name}-1", DBClusterIdentifier=name, Engine=engine,
                                       DBInstanceClass="db.r6g.large", PubliclyAccessible=public)
        return arn

    ids["cl_ehr"] = cluster(TOKYO, "hospital-ehr-aurora", exports=("postgresql",))
    ids["cl_lab"] = cluster(TOKYO, "bad-aurora-lab", engine="aurora-mysql", group="amysql-plain", encrypted=False,
                            retention=1, public=True)
    rds[TOKYO].create_global_cluster(GlobalClusterIdentifier="bad-research-global", Engine="aurora-postgresql")
    ids["cl_global_tokyo"] = cluster(TOKYO, "bad-research-global-tokyo", global_id="bad-research-global",
                                     exports=("postgresql",))
    rds[US].create_db_cluster_parameter_group(DBClusterParameterGroupName="apg-tls", Description="TLS required",
                                              DBParameterGroupFamily="aurora-postgresql16")
    rds[US].modify_db_cluster_parameter_group(DBClusterParameterGroupName="apg-tls", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}, *PGAUDIT])
    ids["cl_global_us"] = cluster(US, "bad-research-global-us", global_id="bad-research-global")

    # ---- RDS snapshots: private, public, shared with another account
    def dbsnap(name: str, db: str) -> str:
        return rds[TOKYO].create_db_snapshot(DBSnapshotIdentifier=name, DBInstanceIdentifier=db)["DBSnapshot"][
            "DBSnapshotArn"]

    ids["rsnap_ok"] = dbsnap("ehr-db-before-upgrade", "hospital-ehr-db")
    ids["rsnap_public"] = dbsnap("bad-lab-db-public", "bad-lab-db")
    rds[TOKYO].modify_db_snapshot_attribute(DBSnapshotIdentifier="bad-lab-db-public", AttributeName="restore",
                                            ValuesToAdd=["all"])
    ids["csnap_shared"] = rds[TOKYO].create_db_cluster_snapshot(
        DBClusterSnapshotIdentifier="ehr-aurora-for-vendor", DBClusterIdentifier="hospital-ehr-aurora")[
        "DBClusterSnapshot"]["DBClusterSnapshotArn"]
    rds[TOKYO].modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="ehr-aurora-for-vendor",
                                                    AttributeName="restore", ValuesToAdd=[VENDOR_ACCOUNT])

    # ---- Network ACL on the private subnet (rule order matters); the rest keep their default ACL
    ec2 = {r: _c(endpoint, "ec2", r) for r in REGIONS}
    t = ec2[TOKYO]
    acl = t.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]

    def entry(n: int, action: str, lo: int, hi: int, cidr: str = "0.0.0.0/0") -> str:
        t.create_network_acl_entry(NetworkAclId=acl, RuleNumber=n, Protocol="6", RuleAction=action, Egress=False,
                                   CidrBlock=cidr, PortRange={"From": lo, "To": hi})
        return f"arn:aws:ec2:{TOKYO}:{ACCOUNT}:network-acl/{acl}/ingress/{n}"

    ids["nacl_vpc_pg"] = entry(80, "allow", 5432, 5432, "10.0.0.0/16")  # before the deny of #125
    ids["nacl_ssh_deny"] = entry(90, "deny", 22, 22)
    ids["nacl_ssh_shadowed"] = entry(100, "allow", 22, 22)  # closed by #90 first
    ids["nacl_https"] = entry(110, "allow", 443, 443)
    ids["nacl_rdp"] = entry(120, "allow", 3389, 3389)
    ids["nacl_pg_deny"] = entry(125, "deny", 5432, 5432)
    ids["nacl_pg_shadowed"] = entry(130, "allow", 5400, 5500)  # 5432 is closed by #125 first
    ids["nacl_ephemeral"] = entry(135, "allow", 32768, 65535)  # return traffic: no admin or database port
    ids["nacl_redis"] = entry(150, "allow", 6379, 6379)
    assoc = next(a for n in t.describe_network_acls()["NetworkAcls"] for a in n["Associations"]
                 if a["SubnetId"] == private_subnet)
    t.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"], NetworkAclId=acl)
    for r in REGIONS:
        for n in ec2[r].describe_network_acls(Filters=[{"Name": "default", "Values": ["true"]}])["NetworkAcls"]:
            e.default_nacl_entries.add(f"arn:aws:ec2:{r}:{ACCOUNT}:network-acl/{n['NetworkAclId']}/ingress/100")

    # ---- EBS encryption by default: on in Tokyo only (after the volumes above were created)
    t.enable_ebs_encryption_by_default()

    # ---- EC2 instances and their Patch Manager state (seeded: moto has no Patch Manager)
    def instance(name: str) -> tuple[str, str]:
        i = t.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True}}],
                            TagSpecifications=[{"ResourceType": "instance", "Tags": _tags(
                                {"Name": name, "sansho:medical": "true"})}])["Instances"][0]["InstanceId"]
        return i, f"arn:aws:ec2:{TOKYO}:{ACCOUNT}:instance/{i}"

    ok, ids["ec2_patched"] = instance("ehr-app")
    old, ids["ec2_unpatched"] = instance("bad-pacs-viewer")
    _, ids["ec2_unmanaged"] = instance("legacy-unmanaged")
    moto_shims.seed(ACCOUNT, TOKYO, patch_states={
        ok: {"PatchGroup": "prod", "BaselineId": "pb-0123456789abcdef0", "Operation": "Install",
             "OperationStartTime": today - dt.timedelta(days=10, hours=1),
             "OperationEndTime": today - dt.timedelta(days=10), "InstalledCount": 120, "MissingCount": 0,
             "FailedCount": 0, "InstalledPendingRebootCount": 0, "NotApplicableCount": 400},
        old: {"PatchGroup": "prod", "BaselineId": "pb-0123456789abcdef0", "Operation": "Scan",
              "OperationStartTime": today - dt.timedelta(days=2, hours=1),
              "OperationEndTime": today - dt.timedelta(days=2), "InstalledCount": 80, "MissingCount": 12,
              "FailedCount": 0, "InstalledPendingRebootCount": 0, "NotApplicableCount": 400,
              "LastNoRebootInstallOperationTime": today - dt.timedelta(days=200)},
    })

    # ---- AWS Backup: recovery points (one copied to Osaka) and restore jobs (seeded: moto runs no jobs)
    def rp(region: str, vault: str, plan: str, resource: str, n: int) -> str:
        arn = f"arn:aws:backup:{region}:{ACCOUNT}:recovery-point:{n:08d}-0000-4000-8000-000000000000"
        moto_shims.seed(ACCOUNT, region, recovery_points=[{
            "RecoveryPointArn": arn, "BackupVaultName": vault,
            "BackupVaultArn": f"arn:aws:backup:{region}:{ACCOUNT}:backup-vault:{vault}", "ResourceArn": resource,
            "ResourceType": "RDS", "Status": "COMPLETED", "CreationDate": today - dt.timedelta(days=30),
            "CreatedBy": {"BackupPlanArn": plan, "BackupPlanId": plan.rsplit(":", 1)[-1], "BackupRuleId": "r"}}])
        return arn

    def restore(region: str, point: str, days_ago: int, **extra: object) -> None:
        moto_shims.seed(ACCOUNT, region, restore_jobs=[{
            "AccountId": ACCOUNT, "RestoreJobId": f"restore-{days_ago}", "RecoveryPointArn": point,
            "CreationDate": today - dt.timedelta(days=days_ago, hours=2),
            "CompletionDate": today - dt.timedelta(days=days_ago), "Status": "COMPLETED", "ResourceType": "RDS",
            **extra}])

    p_ehr, p_pacs = ids["p_ehr"], ids["p_pacs"]
    ehr_point = rp(TOKYO, "ehr-vault", p_ehr, ids["db_ehr"], 1)
    ehr_copy = rp(OSAKA, "ehr-vault-dr", p_ehr, ids["db_ehr"], 2)
    rp(TOKYO, "ehr-vault", p_ehr, ids["cl_ehr"], 3)
    pacs_point = rp(TOKYO, "bad-pacs-vault-unlocked", p_pacs, ids["b_pacs_tokyo"], 4)
    restore(OSAKA, ehr_copy, 40)  # the DR copy was restored in Osaka: a real test
    restore(TOKYO, ehr_point, 3, ValidationStatus="FAILED")  # restored but unusable: not a passed test
    restore(TOKYO, pacs_point, 400)
