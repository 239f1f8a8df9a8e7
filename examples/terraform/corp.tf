# corp.example — the corporate domain and its outbound mail relays, in Route 53.
locals {
  domain = "corp.example"
}

resource "aws_route53_zone" "corp" {
  name = local.domain
}

resource "aws_route53_record" "relays" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "relay.${local.domain}"
  type    = "A"
  ttl     = 300
  records = ["192.0.2.100", "192.0.2.101"]
}

# The SPF policy every other domain includes.
resource "aws_route53_record" "spf_relays" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "_spf.${local.domain}"
  type    = "TXT"
  ttl     = 3600
  records = ["v=spf1 a:relay.${local.domain} ip4:192.0.2.96/28 -all"]
}

resource "aws_route53_record" "spf" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = local.domain
  type    = "TXT"
  ttl     = 3600
  records = ["v=spf1 include:_spf.${local.domain} -all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "_dmarc.${local.domain}"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=reject; rua=mailto:dmarc@corp.example; pct=100"]
}

resource "aws_route53_record" "dkim" {
  zone_id = aws_route53_zone.corp.zone_id
  name    = "s2024._domainkey.${local.domain}"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp6Stn9PtIGv9Zn6aO44E05+lkP8jYPLM2qeIZVqLmSgNEx6U9OeHqCNWbICGAuztrbIFyoyauVOA1XcESs0F++DQv9nOOFRw6zM/sgJtW4rOlIsWJTGTB6lcu84qley+cNKsindIf6uOE+e5yFpfmtn2h1tARuu2nYEirsw34iMnAsj3D/zs2sTU9ASOtB18qVhxGYPck0Blc7KRI7+SwbWC2+yLr/NVi80FIKQgyqMMiFuuk1iref8wpTMB4dd/MRs1sx8SV9Hz6d/1C4fFXBJepyZDwiDgQzIAXgwjm3XDLJPj2Em4BLgoR2T8iUF9prokjZAa+KJ1ZusUWWUWewIDAQAB"]
}
