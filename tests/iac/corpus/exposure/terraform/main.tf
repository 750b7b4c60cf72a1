# The internet however it is spelled (issue 15 item 1): every rule below that opens an
# administration port to it must FAIL SAN-NET-001 (tests/iac/test_exposure.py).
provider "aws" {
  region = "ap-northeast-1"
}

provider "azurerm" {
  features {}
}

provider "google" {
  project = "hosp-ehr"
  region  = "asia-northeast1"
}

# Two halves of the IPv4 internet in one security group: together, 0.0.0.0/0.
resource "aws_security_group" "split" {
  name = "split"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/1"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["128.0.0.0/1"]
  }
}

resource "aws_security_group" "spellings" {
  name = "spellings"
  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::0/0"]
  }
  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    ipv6_cidr_blocks = ["2000::/3"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0 "]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["133.5.0.0/16"]
  }
  # inverted: AWS refuses it; sansho cannot say which ports it means
  ingress {
    from_port   = 3390
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# The halves as separate rule resources of one group.
resource "aws_security_group" "joined" {
  name = "joined"
}

resource "aws_security_group_rule" "lower" {
  type              = "ingress"
  security_group_id = aws_security_group.joined.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/1"]
}

resource "aws_vpc_security_group_ingress_rule" "upper" {
  security_group_id = aws_security_group.joined.id
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
  cidr_ipv4         = "128.0.0.0/1"
}

resource "azurerm_resource_group" "edge" {
  name     = "rg-edge"
  location = "Japan East"
}

resource "azurerm_network_security_group" "edge" {
  name                = "nsg-edge"
  location            = azurerm_resource_group.edge.location
  resource_group_name = azurerm_resource_group.edge.name

  security_rule {
    name                       = "ssh-INTERNET"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "INTERNET"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "rdp-inverted"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3390-3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "google_compute_firewall" "lower" {
  name          = "ssh-lower-half"
  network       = "ehr-vpc"
  source_ranges = ["0.0.0.0/1"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "upper" {
  name          = "ssh-upper-half"
  network       = "ehr-vpc"
  source_ranges = ["128.0.0.0/1"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
