#!/usr/bin/env bash
# Starts the loopback mail stack: Dovecot (IMAP, SMTP submission, LMTP), an SMTP relay that
# delivers into the mailboxes, and a local OAuth2 identity provider whose tokens Dovecot accepts.
# Usage: tools/mailstack/start.sh [STATE_DIR]   (default /tmp/emailintegration-mailstack)
# Writes STATE_DIR/env with the ports and credentials; `source` it to use the stack.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-${MAILSTACK_DIR:-/tmp/emailintegration-mailstack}}"
base="${MAILSTACK_PORT_BASE:-24100}"
password="${MAILSTACK_PASSWORD:-Mailstack-Password-1}"
domain="${MAILSTACK_DOMAIN:-example.test}"

imap_port=$((base + 43)); imaps_port=$((base + 93)); submission_port=$((base + 87))
submissions_port=$((base + 65)); lmtp_port=$((base + 24)); relay_port=$((base + 25)); idp_port=$((base + 80))
idp_tls_port=$((base + 81))

if [ -f "$dir/pids/dovecot.pid" ]; then
  "$here/stop.sh" "$dir" >/dev/null 2>&1 || true
fi

"$here/../install-test-packages.sh"

# Note: mail is stored as Debian's `mail` user (uid 8), which must be able to enter the mail root.
rm -rf "$dir"
mkdir -p "$dir"/{run,state,mail,keys/default/HS256,tls,pids,logs}
chmod 755 "$dir"
chown -R 8:8 "$dir/mail"

# The HS256 key the identity provider signs with and Dovecot validates with.
key_b64="$(head -c 32 /dev/urandom | base64 -w0)"
printf '%s' "$key_b64" > "$dir/keys/default/HS256/default"
chmod 644 "$dir/keys/default/HS256/default"

# The RSA key the identity provider signs OpenID Connect ID tokens with (published as its JWKS).
openssl genrsa -out "$dir/tls/oidc.pem" 2048 >/dev/null 2>&1

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" >/dev/null 2>&1
chmod 644 "$dir/tls/cert.pem" "$dir/tls/key.pem"

idp_url="http://127.0.0.1:$idp_port"
sed -e "s#@DIR@#$dir#g" -e "s#@PASSWORD@#$password#g" -e "s#@IMAP_PORT@#$imap_port#g" \
    -e "s#@IMAPS_PORT@#$imaps_port#g" -e "s#@SUBMISSION_PORT@#$submission_port#g" \
    -e "s#@SUBMISSIONS_PORT@#$submissions_port#g" -e "s#@LMTP_PORT@#$lmtp_port#g" \
    -e "s#@RELAY_PORT@#$relay_port#g" -e "s#@DOMAIN@#$domain#g" -e "s#@IDP_URL@#$idp_url#g" \
    "$here/dovecot.conf.in" > "$dir/dovecot.conf"
for ext in dovecot-oauth2 dovecot-oauth2-member; do
  sed -e "s#@DIR@#$dir#g" -e "s#@IDP_URL@#$idp_url#g" "$here/$ext.conf.ext.in" > "$dir/$ext.conf.ext"
done
# Who has Full Access to whose mailbox: lines "member@domain/mailbox@domain::::::nopassword=y".
: > "$dir/full-access"
chmod 644 "$dir/full-access"

start_bg() { # name command...
  local name="$1"; shift
  setsid "$@" >"$dir/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/pids/$name.pid"
}

start_bg dovecot /usr/sbin/dovecot -F -c "$dir/dovecot.conf"
# Note: python3-aiosmtpd imports only under Debian's own interpreter.
start_bg relay /usr/bin/python3 "$here/relay.py" --port "$relay_port" --lmtp-port "$lmtp_port"
start_bg idp /usr/bin/python3 "$here/idp.py" --port "$idp_port" --key-file "$dir/keys/default/HS256/default" \
  --issuer "$idp_url" --password "$password" \
  --tls-port "$idp_tls_port" --tls-cert "$dir/tls/cert.pem" --tls-key "$dir/tls/key.pem" --rsa-key "$dir/tls/oidc.pem"

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "mailstack: port $1 did not open; see $dir/logs and $dir/dovecot.log" >&2
  return 1
}
for p in "$imap_port" "$imaps_port" "$submission_port" "$submissions_port" "$lmtp_port" "$relay_port" "$idp_port" "$idp_tls_port"; do
  wait_port "$p"
done

cat > "$dir/env" <<ENV
export MAILSTACK_DIR="$dir"
export MAILSTACK_HOST=127.0.0.1
export MAILSTACK_DOMAIN="$domain"
export MAILSTACK_PASSWORD="$password"
export MAILSTACK_IMAP_PORT=$imap_port
export MAILSTACK_IMAPS_PORT=$imaps_port
export MAILSTACK_SUBMISSION_PORT=$submission_port
export MAILSTACK_SUBMISSIONS_PORT=$submissions_port
export MAILSTACK_RELAY_PORT=$relay_port
export MAILSTACK_IDP_URL="$idp_url"
export MAILSTACK_IDP_HTTPS_URL="https://127.0.0.1:$idp_tls_port"
export MAILSTACK_TLS_CERT="$dir/tls/cert.pem"
ENV
echo "mailstack: running in $dir (IMAP $imap_port, IMAPS $imaps_port, submission $submission_port, relay $relay_port, identity provider $idp_url)"
