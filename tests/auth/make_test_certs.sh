#!/usr/bin/env bash
# Writes throw-away test certificates into directory $1 (run by tests/auth):
#   ca.pem/ca.key          test CA
#   server.pem/server.key  server certificate for localhost and 127.0.0.1, signed by the CA
#   client.pem/client.key  client certificate CN=case-system-cert, signed by the CA
#   rogue_ca.pem, rogue_client.pem/.key  a client certificate from another CA
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
ca() {  # name, CN
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
leaf() {  # name, CN, CA name, extensions
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2"
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
    -out "$1.pem" -days 2 -extfile "$1.ext" 2>/dev/null
}
ca ca "jobmatch test CA"
ca rogue_ca "rogue test CA"
leaf server localhost ca "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
leaf client case-system-cert ca "extendedKeyUsage=clientAuth"
leaf rogue_client case-system-cert rogue_ca "extendedKeyUsage=clientAuth"
