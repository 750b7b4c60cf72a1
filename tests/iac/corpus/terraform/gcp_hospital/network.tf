resource "google_compute_firewall" "https" {
  name          = "allow-https"
  network       = "hospital"
  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["web"]

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "admin" {
  name          = "allow-admin"
  network       = "hospital"
  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["jump"]

  allow {
    protocol = "tcp"
    ports    = ["22", "3389"]
  }
}

# "Temporary" rule for the lab vendor; no source given, so it applies to every source.
resource "google_compute_firewall" "lab_vendor" {
  name        = "allow-lab-vendor"
  network     = "hospital"
  target_tags = ["db"]

  allow {
    protocol = "tcp"
    ports    = ["5432"]
  }

  allow {
    protocol = "icmp"
  }
}

resource "google_compute_firewall" "deny_rdp" {
  name          = "deny-rdp"
  network       = "hospital"
  priority      = 100
  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "tcp"
    ports    = ["3389"]
  }
}

resource "google_compute_firewall" "egress_all" {
  name               = "egress-all"
  network            = "hospital"
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}
