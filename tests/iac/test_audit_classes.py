"""SAN-LOG-007 reads what a database audit log records (システム運用編 17 ①: who accessed which medical
information), in every IaC reader: pgaudit.log in (cluster) parameter groups, the MariaDB audit plugin's
SERVER_AUDIT_EVENTS option setting, Aurora MySQL's server_audit_events, Azure SQL auditing's action
groups and Cloud SQL's pgaudit flags. DDL only used to pass; now it fails, naming the classes."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("checkov")

from sansho.collectors.iac import load  # noqa: E402
from sansho.collectors.iac.pulumi import normalize  # noqa: E402
from sansho.policies.catalog import load_catalog  # noqa: E402
from sansho.policies.engine.core import Engine  # noqa: E402

TODAY = dt.date(2026, 11, 1)


def judge(resources) -> dict[str, tuple[str, str]]:
    cat = load_catalog()
    result = Engine(cat).scan(resources, [cat["SAN-LOG-007"]], today=TODAY)
    return {f.resource.id.rsplit("::", 1)[-1]: (f.status, f.message_en) for f in result.findings}


AWS = """
provider "aws" {
  region = "ap-northeast-1"
}
resource "aws_db_parameter_group" "ddl" {
  name   = "pg-ddl"
  family = "postgres16"
  parameter {
    name         = "shared_preload_libraries"
    value        = "pgaudit"
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "pgaudit.log"
    value = "ddl"
  }
}
resource "aws_db_parameter_group" "reads" {
  name   = "pg-reads"
  family = "postgres16"
  parameter {
    name         = "shared_preload_libraries"
    value        = "pgaudit"
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "pgaudit.log"
    value = "read, write"
  }
}
resource "aws_db_instance" "pg_ddl" {
  identifier                      = "pg-ddl"
  engine                          = "postgres"
  parameter_group_name            = aws_db_parameter_group.ddl.name
  enabled_cloudwatch_logs_exports = ["postgresql"]
}
resource "aws_db_instance" "pg_reads" {
  identifier                      = "pg-reads"
  engine                          = "postgres"
  parameter_group_name            = aws_db_parameter_group.reads.name
  enabled_cloudwatch_logs_exports = ["postgresql"]
}
resource "aws_db_option_group" "ddl" {
  name                 = "mysql-ddl"
  engine_name          = "mysql"
  major_engine_version = "8.0"
  option {
    option_name = "MARIADB_AUDIT_PLUGIN"
    option_settings {
      name  = "SERVER_AUDIT_EVENTS"
      value = "CONNECT,QUERY_DDL"
    }
  }
}
resource "aws_db_option_group" "default_events" {
  name                 = "mysql-default"
  engine_name          = "mysql"
  major_engine_version = "8.0"
  option {
    option_name = "MARIADB_AUDIT_PLUGIN"
  }
}
resource "aws_db_instance" "mysql_ddl" {
  identifier                      = "mysql-ddl"
  engine                          = "mysql"
  option_group_name               = aws_db_option_group.ddl.name
  enabled_cloudwatch_logs_exports = ["audit"]
}
resource "aws_db_instance" "mysql_default" {
  identifier                      = "mysql-default"
  engine                          = "mysql"
  option_group_name               = aws_db_option_group.default_events.name
  enabled_cloudwatch_logs_exports = ["audit"]
}
resource "aws_rds_cluster_parameter_group" "aurora" {
  name   = "amysql-audit"
  family = "aurora-mysql8.0"
  parameter {
    name  = "server_audit_logging"
    value = "1"
  }
  parameter {
    name  = "server_audit_events"
    value = "CONNECT,QUERY_DCL"
  }
}
resource "aws_rds_cluster" "aurora" {
  cluster_identifier              = "amysql"
  engine                          = "aurora-mysql"
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.aurora.name
  enabled_cloudwatch_logs_exports = ["audit"]
}
"""

AZURE = """
provider "azurerm" {
  features {}
}
resource "azurerm_mssql_server" "s" {
  name                = "sql-emr"
  resource_group_name = "rg"
  location            = "japaneast"
  version             = "12.0"
}
resource "azurerm_mssql_database" "logins" {
  name      = "logins-only"
  server_id = azurerm_mssql_server.s.id
}
resource "azurerm_mssql_database_extended_auditing_policy" "logins" {
  database_id              = azurerm_mssql_database.logins.id
  audit_actions_and_groups = ["SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"]
}
resource "azurerm_mssql_database" "defaults" {
  name      = "default-groups"
  server_id = azurerm_mssql_server.s.id
}
resource "azurerm_mssql_database_extended_auditing_policy" "defaults" {
  database_id = azurerm_mssql_database.defaults.id
}
"""

GOOGLE = """
provider "google" {
  region = "asia-northeast1"
}
resource "google_sql_database_instance" "ddl" {
  name             = "pg-ddl"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-2-7680"
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
    database_flags {
      name  = "pgaudit.log"
      value = "ddl"
    }
  }
}
"""

CFN = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditOptions:
    Type: AWS::RDS::OptionGroup
    Properties:
      EngineName: mysql
      MajorEngineVersion: "8.0"
      OptionGroupDescription: audit plugin, DDL only
      OptionConfigurations:
        - OptionName: MARIADB_AUDIT_PLUGIN
          OptionSettings:
            - Name: SERVER_AUDIT_EVENTS
              Value: CONNECT,QUERY_DDL
  LabDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBInstanceClass: db.t3.micro
      OptionGroupName: !Ref AuditOptions
      EnableCloudwatchLogsExports: [audit]
      DBSubnetGroupName: private
"""


def _dir(tmp_path: Path, name: str, text: str, file: str = "main.tf") -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / file).write_text(textwrap.dedent(text), encoding="utf-8")
    return d / file if file.endswith(".yaml") else d


def test_terraform_aws_reads_the_classes(tmp_path):
    loaded = load([_dir(tmp_path, "aws", AWS)], today=TODAY)
    assert loaded.not_scanned == []
    r = {x.id: x for x in loaded.resources}
    assert {a: r[a].audit_classes for a in ("aws_db_instance.pg_ddl", "aws_db_instance.pg_reads",
                                            "aws_db_instance.mysql_ddl", "aws_db_instance.mysql_default",
                                            "aws_rds_cluster.aurora")} == {
        "aws_db_instance.pg_ddl": ["ddl"], "aws_db_instance.pg_reads": ["read", "write"],
        "aws_db_instance.mysql_ddl": ["CONNECT", "QUERY_DDL"], "aws_db_instance.mysql_default": ["CONNECT", "QUERY"],
        "aws_rds_cluster.aurora": ["CONNECT", "QUERY_DCL"]}
    v = judge(loaded.resources)
    assert {k: s for k, (s, _) in v.items()} == {
        "aws_db_instance.pg_ddl": "FAIL", "aws_db_instance.pg_reads": "PASS", "aws_db_instance.mysql_ddl": "FAIL",
        "aws_db_instance.mysql_default": "PASS", "aws_rds_cluster.aurora": "FAIL"}
    assert "records CONNECT, QUERY_DDL but no reads" in v["aws_db_instance.mysql_ddl"][1]


def test_terraform_azure_sql_action_groups(tmp_path):
    loaded = load([_dir(tmp_path, "az", AZURE)], today=TODAY)
    assert loaded.not_scanned == []
    r = {x.id: x for x in loaded.resources}
    assert sorted(r["azurerm_mssql_database.logins"].audit_classes) == [  # the parser may reorder a list
        "FAILED_DATABASE_AUTHENTICATION_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP"]
    # no groups named: Azure's default, which records every batch
    assert r["azurerm_mssql_database.defaults"].audit_classes == [
        "BATCH_COMPLETED_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"]
    v = judge(loaded.resources)
    assert (v["azurerm_mssql_database.logins"][0], v["azurerm_mssql_database.defaults"][0]) == ("FAIL", "PASS")


def test_terraform_cloud_sql_pgaudit_ddl_only_fails(tmp_path):
    loaded = load([_dir(tmp_path, "gcp", GOOGLE)], today=TODAY)
    assert loaded.not_scanned == []
    [db] = [x for x in loaded.resources if x.id == "google_sql_database_instance.ddl"]
    assert (db.audit_logging, db.audit_classes) == (True, ["ddl"])
    assert judge(loaded.resources)["google_sql_database_instance.ddl"][0] == "FAIL"


def test_cloudformation_option_settings(tmp_path):
    loaded = load([_dir(tmp_path, "cfn", CFN, "template.yaml")], today=TODAY, cfn_region="ap-northeast-1")
    assert loaded.not_scanned == []
    [db] = [x for x in loaded.resources if x.id == "LabDb"]
    assert (db.audit_logging, db.audit_classes) == (True, ["CONNECT", "QUERY_DDL"])
    assert judge(loaded.resources)["LabDb"][0] == "FAIL"


def test_pulumi_option_and_parameter_groups():
    provider = {"type": "pulumi:providers:aws", "name": "tokyo", "urn": "urn:pulumi:dev::p::pulumi:providers:aws::tokyo",
                "inputs": {"region": "ap-northeast-1"}}
    pref = provider["urn"] + "::prov-id"

    def res(token: str, name: str, inputs: dict) -> dict:
        return {"type": token, "name": name, "urn": f"urn:pulumi:dev::p::{token}::{name}", "inputs": inputs,
                "provider": pref}

    resources = [
        provider,
        res("aws:rds/parameterGroup:ParameterGroup", "pg", {"name": "pg-ddl", "family": "postgres16", "parameters": [
            {"name": "shared_preload_libraries", "value": "pgaudit"}, {"name": "pgaudit.log", "value": "ddl"}]}),
        res("aws:rds/instance:Instance", "db", {"identifier": "pg-ddl", "engine": "postgres",
                                                "parameterGroupName": "pg-ddl",
                                                "enabledCloudwatchLogsExports": ["postgresql"]}),
        res("aws:rds/optionGroup:OptionGroup", "og", {"name": "mysql-ddl", "engineName": "mysql",
                                                      "majorEngineVersion": "8.0", "options": [
            {"optionName": "MARIADB_AUDIT_PLUGIN",
             "optionSettings": [{"name": "SERVER_AUDIT_EVENTS", "value": "CONNECT,QUERY_DDL"}]}]}),
        res("aws:rds/instance:Instance", "mysql", {"identifier": "mysql-ddl", "engine": "mysql",
                                                   "optionGroupName": "mysql-ddl",
                                                   "enabledCloudwatchLogsExports": ["audit"]}),
    ]
    got = {r.id.rsplit("::", 1)[-1]: r for r in normalize(resources)}
    assert (got["db"].audit_classes, got["mysql"].audit_classes) == (["ddl"], ["CONNECT", "QUERY_DDL"])
    v = judge(list(got.values()))
    assert (v["db"][0], v["mysql"][0]) == ("FAIL", "FAIL")
