"""Region → country table.

A resource's country is derived from its provider and region here and nowhere else, so the
storage-location rules judge AWS, Azure and GCP alike. A region that is not in the table has
no country: the rules then say UNKNOWN, never PASS. Multi-regions that span several countries
(GCS ``ASIA``, ``US``, ``EU``) map to the pseudo-country ``MULTI``, which no allow-list holds.
"""

from __future__ import annotations

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
    "japaneast": "JP", "japanwest": "JP", "koreacentral": "KR", "koreasouth": "KR",
    "eastasia": "HK", "southeastasia": "SG", "australiaeast": "AU", "australiasoutheast": "AU",
    "centralindia": "IN", "southindia": "IN", "westindia": "IN",
    "eastus": "US", "eastus2": "US", "westus": "US", "westus2": "US", "westus3": "US",
    "centralus": "US", "northcentralus": "US", "southcentralus": "US", "westcentralus": "US",
    "canadacentral": "CA", "canadaeast": "CA", "northeurope": "IE", "westeurope": "NL",
    "uksouth": "GB", "ukwest": "GB", "francecentral": "FR", "germanywestcentral": "DE",
    "switzerlandnorth": "CH", "swedencentral": "SE", "norwayeast": "NO", "brazilsouth": "BR",
    "southafricanorth": "ZA", "uaenorth": "AE",
    # Geographies used by some resources instead of a region.
    "global": MULTI, "asia": MULTI, "asiapacific": MULTI, "japan": "JP",
}

_GCP = {
    "asia-northeast1": "JP", "asia-northeast2": "JP", "asia1": "JP",
    "asia-northeast3": "KR", "asia-east1": "TW", "asia-east2": "HK", "asia-southeast1": "SG",
    "asia-southeast2": "ID", "asia-south1": "IN", "asia-south2": "IN",
    "australia-southeast1": "AU", "australia-southeast2": "AU",
    "us-central1": "US", "us-east1": "US", "us-east4": "US", "us-east5": "US", "us-west1": "US",
    "us-west2": "US", "us-west3": "US", "us-west4": "US", "us-south1": "US",
    "europe-west1": "BE", "europe-west2": "GB", "europe-west3": "DE", "europe-west4": "NL",
    "europe-west6": "CH", "europe-north1": "FI", "europe-central2": "PL",
    "northamerica-northeast1": "CA", "southamerica-east1": "BR", "me-west1": "IL",
    # Multi-regions: data may sit in any country of the area.
    "asia": MULTI, "us": MULTI, "eu": MULTI, "global": MULTI,
    # Predefined dual-regions.
    "eur4": MULTI, "nam4": MULTI,
}

REGION_COUNTRY: dict[str, dict[str, str]] = {"aws": _AWS, "azure": _AZURE, "gcp": _GCP}


def normalize_region(provider: str, region: str) -> str:
    """Providers spell regions in different cases (GCS reports ``ASIA-NORTHEAST1``)."""
    r = region.strip().lower()
    if provider == "azure":
        r = r.replace(" ", "")
    return r


def country_of(provider: str, region: str | None) -> str | None:
    """ISO 3166 alpha-2 country of a cloud region, ``MULTI`` for multi-country locations,
    or None when the region is unknown (which the rules treat as not read)."""
    if region is None:
        return None
    table = REGION_COUNTRY.get(provider)
    if table is None:
        return None
    return table.get(normalize_region(provider, region))
