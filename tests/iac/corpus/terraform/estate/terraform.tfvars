region                   = "ap-northeast-1"
environment              = "prod"
admin_cidr               = "0.0.0.0/0" # TODO: restrict to the hospital VPN before go-live
db_backup_retention_days = 3
db_password              = "change-me"
