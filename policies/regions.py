"""Region → country table.

A resource's country is derived from its provider and region here and nowhere else, so the
storage-location rules judge AWS, Azure and GCP alike. A region that is not in the table has
no country: the rules then say UNKNOWN, never PASS. Multi-regions that span several countries
(GCS ``ASIA``, ``US``, ``EU``) map to the pseudo-country ``MULTI``, which no allow-list holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

MULTI = "MULTI"

_AWS = {
    "ap-northeast-1": "JP", "ap-northeast-3": "JP", "ap-northeast-2": "KR",
    "ap-east-1": "HK", "ap-southeast-1": "SG", "ap-southeast-2": "AU", "ap-southeast-3": "ID",
    "ap-southeast-4": "AU", "ap-southeast-5": "MY", "ap-southeast-7": "TH", "ap-south-1": "IN",
    "ap-south-2": "IN", "us-east-1": "US", "us-east-2": "US", "us-west-1": "US", "us-west-2": "US",
    "ca-central-1": "CA", "ca-west-1": "CA", "eu-west-1": "IE", "eu-west-2": "GB", "eu-west-3": "FR",
    "eu-central-1": "DE", "eu-central-2": "CH", "eu-north-1": "SE", "eu-south-1": "IT",
    "eu-south-2": "ES", "me-south-1": "BH", "me-central-1": "AE", "il-central-1": "IL",
    "sa-east-1": "BR", "af-south-1": "ZA", "mx-central-1": "MX",
    "us-gov-west-1": "US", "us-gov-east-1": "US", "cn-north-1": "CN", "cn-northwest-1": "CN",
}

_AZURE = {
    # Asia Pacific
    "japaneast": "JP", "japanwest": "JP", "koreacentral": "KR", "koreasouth": "KR",
    "eastasia": "HK", "southeastasia": "SG", "australiaeast": "AU", "australiasoutheast": "AU",
    "australiacentral": "AU", "australiacentral2": "AU", "centralindia": "IN", "southindia": "IN",
    "westindia": "IN", "jioindiawest": "IN", "jioindiacentral": "IN", "indonesiacentral": "ID",
    "malaysiawest": "MY", "newzealandnorth": "NZ",
    # Americas
    "eastus": "US", "eastus2": "US", "westus": "US", "westus2": "US", "westus3": "US",
    "centralus": "US", "northcentralus": "US", "southcentralus": "US", "westcentralus": "US",
    "eastus2euap": "US", "centraluseuap": "US", "eastusstg": "US", "southcentralusstg": "US",
    "usgovvirginia": "US", "usgovarizona": "US", "usgovtexas": "US", "usgoviowa": "US",
    "usdodeast": "US", "usdodcentral": "US",
    "canadacentral": "CA", "canadaeast": "CA", "brazilsouth": "BR", "brazilsoutheast": "BR",
    "mexicocentral": "MX", "chilecentral": "CL",
    # Europe
    "northeurope": "IE", "westeurope": "NL", "uksouth": "GB", "ukwest": "GB",
    "francecentral": "FR", "francesouth": "FR", "germanywestcentral": "DE", "germanynorth": "DE",
    "switzerlandnorth": "CH", "switzerlandwest": "CH", "swedencentral": "SE", "swedensouth": "SE",
    "norwayeast": "NO", "norwaywest": "NO", "polandcentral": "PL", "italynorth": "IT",
    "spaincentral": "ES", "austriaeast": "AT", "belgiumcentral": "BE", "denmarkeast": "DK",
    # Middle East and Africa
    "uaenorth": "AE", "uaecentral": "AE", "qatarcentral": "QA", "israelcentral": "IL",
    "saudiarabiaeast": "SA", "southafricanorth": "ZA", "southafricawest": "ZA",
    # China (operated by 21Vianet)
    "chinaeast": "CN", "chinaeast2": "CN", "chinaeast3": "CN", "chinanorth": "CN",
    "chinanorth2": "CN", "chinanorth3": "CN",
    # Geographies used by some resources instead of a region: one country, or several.
    "global": MULTI, "asia": MULTI, "asiapacific": MULTI, "europe": MULTI, "unitedstates": "US",
    "japan": "JP", "korea": "KR", "australia": "AU", "india": "IN", "canada": "CA", "brazil": "BR",
    "unitedkingdom": "GB", "uk": "GB", "france": "FR", "germany": "DE", "switzerland": "CH",
    "norway": "NO", "uae": "AE", "southafrica": "ZA",
}

_GCP = {
    # Regions (Google Cloud's region list; Cloud Storage spells them in upper case).
    "asia-northeast1": "JP", "asia-northeast2": "JP", "asia-northeast3": "KR",
    "asia-east1": "TW", "asia-east2": "HK", "asia-southeast1": "SG", "asia-southeast2": "ID",
    "asia-south1": "IN", "asia-south2": "IN", "australia-southeast1": "AU", "australia-southeast2": "AU",
    "us-central1": "US", "us-east1": "US", "us-east4": "US", "us-east5": "US", "us-south1": "US",
    "us-west1": "US", "us-west2": "US", "us-west3": "US", "us-west4": "US",
    "northamerica-northeast1": "CA", "northamerica-northeast2": "CA", "northamerica-south1": "MX",
    "southamerica-east1": "BR", "southamerica-west1": "CL",
    "europe-west1": "BE", "europe-west2": "GB", "europe-west3": "DE", "europe-west4": "NL",
    "europe-west6": "CH", "europe-west8": "IT", "europe-west9": "FR", "europe-west10": "DE",
    "europe-west12": "IT", "europe-north1": "FI", "europe-north2": "SE", "europe-central2": "PL",
    "europe-southwest1": "ES", "me-west1": "IL", "me-central1": "QA", "me-central2": "SA",
    "africa-south1": "ZA",
    # Multi-regions: data may sit in any country of the area.
    "asia": MULTI, "us": MULTI, "eu": MULTI, "global": MULTI,
    # Predefined dual-regions: ASIA1 is Tokyo + Osaka; NAM4 is Iowa + South Carolina (both US);
    # the EUR pairs cross borders (EUR4 Finland + Netherlands, EUR5 Belgium + London,
    # EUR7 London + Frankfurt, EUR8 Frankfurt + Zurich).
    "asia1": "JP", "nam4": "US", "eur4": MULTI, "eur5": MULTI, "eur7": MULTI, "eur8": MULTI,
}

REGION_COUNTRY: dict[str, dict[str, str]] = {"aws": _AWS, "azure": _AZURE, "gcp": _GCP}


@lru_cache(maxsize=4096)
def canonical_region(provider: str, region: str) -> str:
    """The one spelling of a region, applied when a resource is built (``model.Resource``), so
    every rule sees the same string: lower case and without spaces (GCS reports
    ``ASIA-NORTHEAST1``, Azure's display names are ``Japan East``) when that is a region or
    location of the table; a string that is none stays as given, and gets no country."""
    table = REGION_COUNTRY.get(provider)
    if table is None:
        return region
    key = "".join(region.split()).lower()
    return key if key in table else region


def canonical_allowed_regions(value: object) -> object:
    """An ``allowed_regions`` parameter ({provider: [region, …]}) in the same spelling."""
    if not isinstance(value, dict):
        return value
    return {p: [canonical_region(p, r) if isinstance(r, str) else r for r in rs] if isinstance(rs, list) else rs
            for p, rs in value.items()}


@lru_cache(maxsize=4096)  # once per resource read: a few dozen distinct regions
def country_of(provider: str, region: str | None) -> str | None:
    """ISO 3166 alpha-2 country of a cloud region, ``MULTI`` for multi-country locations,
    or None when the region is unknown (which the rules treat as not read)."""
    if region is None:
        return None
    table = REGION_COUNTRY.get(provider)
    if table is None:
        return None
    return table.get(canonical_region(provider, region))


# Azure region pairs: geo-redundant storage (GRS/RA-GRS/GZRS/RA-GZRS), geo-redundant Recovery
# Services / Backup vaults and SQL geo-redundant backups write the secondary copy to the primary
# region's pair (Microsoft's "Azure region pairs" list). A region with no pair (Poland Central,
# Italy North, Israel Central, Qatar Central, Mexico Central, Spain Central…) is absent: its secondary
# is not known here, and the destination is judged UNKNOWN. Some pairs are one-way (West India →
# South India, Brazil South → South Central US, Brazil Southeast → Brazil South).
AZURE_PAIRED_REGIONS: dict[str, str] = {
    "japaneast": "japanwest", "japanwest": "japaneast",
    "koreacentral": "koreasouth", "koreasouth": "koreacentral",
    "eastasia": "southeastasia", "southeastasia": "eastasia",
    "australiaeast": "australiasoutheast", "australiasoutheast": "australiaeast",
    "australiacentral": "australiacentral2", "australiacentral2": "australiacentral",
    "centralindia": "southindia", "southindia": "centralindia", "westindia": "southindia",
    "jioindiawest": "jioindiacentral", "jioindiacentral": "jioindiawest",
    "eastus": "westus", "westus": "eastus", "eastus2": "centralus", "centralus": "eastus2",
    "northcentralus": "southcentralus", "southcentralus": "northcentralus",
    "westus2": "westcentralus", "westcentralus": "westus2", "westus3": "eastus",
    "canadacentral": "canadaeast", "canadaeast": "canadacentral",
    "brazilsouth": "southcentralus", "brazilsoutheast": "brazilsouth",
    "northeurope": "westeurope", "westeurope": "northeurope",
    "uksouth": "ukwest", "ukwest": "uksouth",
    "francecentral": "francesouth", "francesouth": "francecentral",
    "germanywestcentral": "germanynorth", "germanynorth": "germanywestcentral",
    "switzerlandnorth": "switzerlandwest", "switzerlandwest": "switzerlandnorth",
    "norwayeast": "norwaywest", "norwaywest": "norwayeast",
    "swedencentral": "swedensouth", "swedensouth": "swedencentral",
    "uaenorth": "uaecentral", "uaecentral": "uaenorth",
    "southafricanorth": "southafricawest", "southafricawest": "southafricanorth",
    "chinanorth": "chinaeast", "chinaeast": "chinanorth", "chinanorth2": "chinaeast2",
    "chinaeast2": "chinanorth2", "chinanorth3": "chinaeast3", "chinaeast3": "chinanorth3",
    "usgovvirginia": "usgovtexas", "usgovtexas": "usgovvirginia", "usgovarizona": "usgovtexas",
}


def azure_paired_region(region: str | None) -> str | None:
    """The region an Azure geo-redundant copy of ``region`` goes to, or None when unknown."""
    if not region:
        return None
    return AZURE_PAIRED_REGIONS.get(canonical_region("azure", region))


# Where Cloud SQL keeps automated backups when no custom location is set: the multi-region
# nearest the instance (Cloud SQL documentation, "custom backup locations").
_GCP_SQL_DEFAULT_BACKUP_AREA = (("asia-", "asia"), ("australia-", "asia"), ("europe-", "eu"), ("me-", "eu"),
                                ("us-", "us"), ("northamerica-", "us"), ("southamerica-", "us"))


def gcp_sql_default_backup_location(region: str | None) -> str | None:
    """The multi-region a Cloud SQL instance in ``region`` backs up to by default, or None when unknown."""
    if not region:
        return None
    r = region.strip().lower()
    return next((area for prefix, area in _GCP_SQL_DEFAULT_BACKUP_AREA if r.startswith(prefix)), None)


def gcp_region_of(location: str) -> str:
    """A GCP zone (``asia-northeast1-a``) → its region; regions and multi-regions lower-cased."""
    loc = location.strip().lower()
    if re.fullmatch(r"[a-z]+-[a-z]+\d+-[a-z]", loc):
        return loc.rsplit("-", 1)[0]
    return loc
