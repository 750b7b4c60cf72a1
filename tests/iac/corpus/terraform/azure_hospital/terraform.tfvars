environment      = "prod"
location         = "japaneast"
imaging_location = "eastus"
admin_source     = "Internet" # TODO: the hospital VPN range once the ExpressRoute circuit is up
