region           = "asia-northeast1"
records_location = "ASIA1"
