#!/usr/bin/env bash
# scripts/cert-expiry-metric.sh — tells monitoring when the TLS certificate expires.
#
#   scripts/cert-expiry-metric.sh [<certificate.pem>]
#
# Reads the certificate (default: /etc/letsencrypt/live/$DOMAIN/fullchain.pem, else
# nginx/ssl/fullchain.pem of this checkout) and writes
# earshot_tls_certificate_expiry_timestamp_seconds{domain="$DOMAIN"} into METRICS_TEXTFILE_DIR for
# node-exporter; the TlsCertificateExpiring alerts fire 30 and 7 days before that time. Run it
# from certbot's deploy hook (after every renewal) and daily (docs/operations.md, "Alerts").
#
# Environment: DOMAIN (the label), METRICS_TEXTFILE_DIR (required).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=cert-expiry-metric
die() { echo "$NAME: $*" >&2; exit 1; }
# shellcheck source=lib/textfile-metric.sh
source "$ROOT/scripts/lib/textfile-metric.sh"

[ $# -le 1 ] || die "usage: scripts/cert-expiry-metric.sh [<certificate.pem>]"
[ -n "${METRICS_TEXTFILE_DIR:-}" ] || die "METRICS_TEXTFILE_DIR is not set (node-exporter's textfile folder)"
DOMAIN="${DOMAIN:-}"
cert="${1:-}"
if [ -z "$cert" ]; then
  if [ -n "$DOMAIN" ] && [ -r "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then cert="/etc/letsencrypt/live/$DOMAIN/fullchain.pem"
  else cert="$ROOT/nginx/ssl/fullchain.pem"; fi
fi
[ -r "$cert" ] || die "cannot read the certificate $cert"
command -v openssl >/dev/null 2>&1 || die "openssl is not installed"
end="$(openssl x509 -in "$cert" -noout -enddate 2>/dev/null)" || die "$cert is not a PEM certificate"
expires="$(date -d "${end#notAfter=}" +%s)" || die "cannot read the expiry date: $end"
[[ "$DOMAIN" =~ ^[A-Za-z0-9.-]*$ ]] || die "DOMAIN is not a host name: $DOMAIN"
write_textfile_metric earshot_tls_certificate earshot_tls_certificate_expiry_timestamp_seconds "domain=\"${DOMAIN:-unknown}\"" "$expires" "Unix time at which the served TLS certificate expires"
echo "$NAME: $cert expires $(date -u -d "@$expires" +%Y-%m-%dT%H:%M:%SZ)"
