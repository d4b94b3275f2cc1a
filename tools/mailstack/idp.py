"""A small OAuth2 identity provider for the loopback mail stack.

It speaks the parts of the protocol the product uses with Microsoft and Google: the authorization
code flow with PKCE (a consent page that asks for the mailbox password), the token endpoint
(authorization_code and refresh_token, with refresh token rotation), revocation and discovery.
Access tokens are HS256 JWTs that Dovecot validates locally. Any path prefix is accepted, so both
".../{tenant}/oauth2/v2.0/token" and ".../token" work.

It is also an OpenID Connect provider shaped like Microsoft Entra ID, for staff sign-in: discovery at
/{tenant}/v2.0/.well-known/openid-configuration (issuer https://HOST/{tenant}/v2.0), its keys (JWKS) at
/{tenant}/discovery/v2.0/keys, and RS256 ID tokens with the request's nonce and the tenant id (tid).

Test control endpoints (loopback only): POST /control/clients registers a client and its secrets,
POST /control/revoke-user revokes every grant of a user, POST /control/settings changes lifetimes.
"""
import argparse
import base64
import hashlib
import hmac
import html
import json
import secrets
import ssl
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {
    "clients": {},        # client_id -> {"secrets": [...]}
    "codes": {},          # code -> grant request
    "refresh": {},        # refresh token -> {"client_id", "user", "scope", "active"}
    "settings": {"access_token_lifetime": 3600, "rotate_refresh_tokens": True},
    "log": [],
}
LOCK = threading.Lock()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    server_version = "mailstack-idp/1"
    client_info_requested = False
    # Note: HTTP/1.1 with a Content-Length on every response, so clients may keep connections open.
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep secrets out of logs: log the path only
        pass

    # ----- helpers -----
    def origin(self):
        """The scheme, host and port this request came in on: the HTTPS listener names itself."""
        if isinstance(self.connection, ssl.SSLSocket):
            return f"https://{self.server.server_address[0]}:{self.server.server_address[1]}"
        return ISSUER

    def oidc_id_token(self, client_id, grant):
        """An Entra ID style ID token, RS256-signed with the key the JWKS publishes."""
        now = int(time.time())
        user = grant["user"]
        tenant = grant["tenant"]
        header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": RSA_JWK["kid"]}).encode())
        claims = {"iss": f"{grant['origin']}/{tenant}/v2.0", "aud": client_id, "iat": now, "nbf": now, "exp": now + 3600,
                  "sub": hashlib.sha256(("sub:" + user.lower()).encode()).hexdigest()[:43],
                  "oid": str(uuid_of(user)), "tid": tenant, "nonce": grant["nonce"], "ver": "2.0",
                  "name": user.split("@")[0], "email": user, "preferred_username": user}
        payload = b64url(json.dumps(claims).encode())
        signed = f"{header}.{payload}".encode()
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", RSA_KEY_FILE], input=signed,
                                   capture_output=True, check=True).stdout
        return f"{header}.{payload}.{b64url(signature)}"

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_html(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, url):
        self.send_response(302)
        self.send_header("Location", url)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    def client_credentials(self, form):
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            return urllib.parse.unquote(cid), urllib.parse.unquote(secret)
        return form.get("client_id", ""), form.get("client_secret", "")

    def issue(self, client_id, user, scope, path=""):
        now = int(time.time())
        lifetime = STATE["settings"]["access_token_lifetime"]
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {"iss": ISSUER, "sub": user, "email": user, "aud": client_id, "iat": now,
                  "nbf": now, "exp": now + lifetime, "scope": scope}
        payload = b64url(json.dumps(claims).encode())
        signature = b64url(hmac.new(KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest())
        id_claims = {"iss": ISSUER, "sub": user, "aud": client_id, "iat": now, "exp": now + lifetime,
                     "email": user, "preferred_username": user}
        id_payload = b64url(json.dumps(id_claims).encode())
        id_sig = b64url(hmac.new(KEY, f"{header}.{id_payload}".encode(), hashlib.sha256).digest())
        refresh = secrets.token_urlsafe(32)
        STATE["refresh"][refresh] = {"client_id": client_id, "user": user, "scope": scope, "active": True}
        response = {"access_token": f"{header}.{payload}.{signature}", "token_type": "Bearer",
                    "expires_in": lifetime, "refresh_token": refresh, "scope": scope,
                    "id_token": f"{header}.{id_payload}.{id_sig}"}
        # Microsoft's token endpoint answers client_info=1 with the user's home account ids
        # (object id and tenant id); MSAL keys its token cache on them.
        if self.client_info_requested:
            tenant = path.strip("/").split("/")[0] if path.strip("/").count("/") else "common"
            uid = hashlib.sha256(user.lower().encode()).hexdigest()[:32]
            response["client_info"] = b64url(json.dumps({"uid": uid, "utid": tenant}).encode())
        return response

    def check_client(self, client_id, secret):
        client = STATE["clients"].get(client_id)
        return client is not None and secret in client["secrets"]

    # ----- routes -----
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        if url.path.endswith("/authorize"):
            return self.authorize_page(url.path, query, error=None)
        if url.path.endswith("/discovery/v2.0/keys"):
            return self.send_json(200, {"keys": [RSA_JWK]})
        if url.path.endswith("/v2.0/.well-known/openid-configuration") and url.path.count("/") == 4:
            # Entra ID's tenant metadata: every endpoint under the tenant, on the origin that was asked.
            tenant = url.path.split("/")[1]
            base = self.origin() + "/" + tenant
            return self.send_json(200, {
                "issuer": base + "/v2.0", "authorization_endpoint": base + "/oauth2/v2.0/authorize",
                "token_endpoint": base + "/oauth2/v2.0/token", "jwks_uri": base + "/discovery/v2.0/keys",
                "end_session_endpoint": base + "/oauth2/v2.0/logout",
                "response_types_supported": ["code", "id_token", "code id_token"], "response_modes_supported": ["query", "form_post"],
                "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "code_challenge_methods_supported": ["S256"], "grant_types_supported": ["authorization_code", "refresh_token"],
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "tid", "oid", "name", "email", "preferred_username"]})
        if url.path.endswith("/.well-known/openid-configuration"):
            prefix = url.path[: -len("/.well-known/openid-configuration")]
            base = ISSUER + prefix
            return self.send_json(200, {
                "issuer": ISSUER, "authorization_endpoint": base + "/authorize",
                "token_endpoint": base + "/token", "revocation_endpoint": base + "/revoke",
                "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "refresh_token"]})
        if url.path == "/healthz":
            return self.send_json(200, {"ok": True})
        if url.path == "/control/log":
            with LOCK:
                return self.send_json(200, STATE["log"])
        return self.send_json(404, {"error": "not_found"})

    def authorize_page(self, path, params, error):
        for required in ("client_id", "redirect_uri", "response_type"):
            if not params.get(required):
                return self.send_html(400, f"<p>Missing parameter {required}.</p>")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items() if k not in ("username", "password", "decision"))
        message = f'<p class="error">{html.escape(error)}</p>' if error else ""
        user = html.escape(params.get("username") or params.get("login_hint", ""))
        self.send_html(200 if not error else 401, f"""<!doctype html><html><head><title>Sign in - mailstack</title></head>
<body><h1>Sign in to the mail stack</h1>{message}
<p>The application <b>{html.escape(params["client_id"])}</b> asks for: {html.escape(params.get("scope", ""))}</p>
<form method="post" action="{html.escape(path)}">{hidden}
<label>User <input name="username" id="username" value="{user}"></label>
<label>Password <input name="password" id="password" type="password"></label>
<button name="decision" value="allow" id="allow">Allow</button>
<button name="decision" value="deny" id="deny">Deny</button></form></body></html>""")

    def do_POST(self):
        try:
            self.route_post()
        except (KeyError, ValueError) as ex:
            self.send_json(400, {"error": "invalid_request", "error_description": f"{type(ex).__name__}: {ex}"})

    def route_post(self):
        url = urllib.parse.urlparse(self.path)
        form = self.form()
        if url.path.endswith("/authorize"):
            return self.authorize_post(url.path, form)
        if url.path.endswith("/token"):
            return self.token(url.path, form)
        if url.path.endswith("/revoke"):
            with LOCK:
                grant = STATE["refresh"].get(form.get("token", ""))
                if grant:
                    grant["active"] = False
            return self.send_json(200, {})
        if url.path == "/control/clients":
            with LOCK:
                STATE["clients"][form["client_id"]] = {"secrets": list(form["secrets"])}
            return self.send_json(200, {"ok": True})
        if url.path == "/control/revoke-user":
            with LOCK:
                for grant in STATE["refresh"].values():
                    if grant["user"] == form["user"]:
                        grant["active"] = False
            return self.send_json(200, {"ok": True})
        if url.path == "/control/settings":
            with LOCK:
                STATE["settings"].update(form)
            return self.send_json(200, STATE["settings"])
        return self.send_json(404, {"error": "not_found"})

    def authorize_post(self, path, form):
        redirect_uri = form.get("redirect_uri", "")
        state = form.get("state", "")
        sep = "&" if "?" in redirect_uri else "?"
        if form.get("decision") == "deny":
            return self.redirect(f"{redirect_uri}{sep}" + urllib.parse.urlencode(
                {"error": "access_denied", "error_description": "The user declined consent.", "state": state}))
        if form.get("password") != PASSWORD or not form.get("username"):
            return self.authorize_page(path, form, error="Wrong user name or password.")
        with LOCK:
            if form.get("client_id") not in STATE["clients"]:
                return self.redirect(f"{redirect_uri}{sep}" + urllib.parse.urlencode(
                    {"error": "unauthorized_client", "error_description": "Unknown client id.", "state": state}))
            code = secrets.token_urlsafe(24)
            STATE["codes"][code] = {
                "client_id": form["client_id"], "redirect_uri": redirect_uri, "user": form["username"],
                "scope": form.get("scope", ""), "code_challenge": form.get("code_challenge", ""),
                "code_challenge_method": form.get("code_challenge_method", ""), "expires": time.time() + 300,
                "nonce": form.get("nonce", ""), "tenant": path.strip("/").split("/")[0], "origin": self.origin()}
        self.redirect(f"{redirect_uri}{sep}" + urllib.parse.urlencode({"code": code, "state": state}))

    def token(self, path, form):
        self.client_info_requested = form.get("client_info") == "1"
        client_id, secret = self.client_credentials(form)
        grant_type = form.get("grant_type")
        with LOCK:
            STATE["log"].append({"grant_type": grant_type, "client_id": client_id, "time": time.time()})
            if not self.check_client(client_id, secret):
                return self.send_json(401, {"error": "invalid_client",
                                            "error_description": "AADSTS7000215: Invalid client secret provided."})
            if grant_type == "authorization_code":
                grant = STATE["codes"].pop(form.get("code", ""), None)
                if not grant or grant["expires"] < time.time() or grant["client_id"] != client_id:
                    return self.send_json(400, {"error": "invalid_grant", "error_description": "Unknown or used code."})
                if grant["redirect_uri"] != form.get("redirect_uri"):
                    return self.send_json(400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch."})
                verifier = form.get("code_verifier", "")
                if grant["code_challenge"]:
                    expected = b64url(hashlib.sha256(verifier.encode()).digest())
                    if grant["code_challenge_method"] != "S256" or not hmac.compare_digest(expected, grant["code_challenge"]):
                        return self.send_json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed."})
                response = self.issue(client_id, grant["user"], grant["scope"], path)
                if grant["nonce"] and "openid" in grant["scope"].split():
                    # An OpenID Connect sign-in: the ID token is the one a relying party validates.
                    response["id_token"] = self.oidc_id_token(client_id, grant)
                return self.send_json(200, response)
            if grant_type == "refresh_token":
                token = form.get("refresh_token", "")
                grant = STATE["refresh"].get(token)
                if not grant or not grant["active"] or grant["client_id"] != client_id:
                    return self.send_json(400, {"error": "invalid_grant",
                                                "error_description": "AADSTS70008: The refresh token has been revoked or has expired."})
                response = self.issue(client_id, grant["user"], form.get("scope") or grant["scope"], path)
                if STATE["settings"].get("rotate_refresh_tokens", True):
                    grant["active"] = False
                else:
                    del STATE["refresh"][response["refresh_token"]]
                    response["refresh_token"] = token
                return self.send_json(200, response)
            return self.send_json(400, {"error": "unsupported_grant_type"})


def uuid_of(text):
    digest = hashlib.sha256(text.lower().encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def load_rsa_key(path):
    """The public half of the RSA key as a JWK (openssl reads the PEM; no Python crypto library needed)."""
    modulus = subprocess.run(["openssl", "rsa", "-in", path, "-noout", "-modulus"], capture_output=True, check=True, text=True)
    n = bytes.fromhex(modulus.stdout.strip().split("=", 1)[1])
    return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": hashlib.sha256(n).hexdigest()[:16],
            "n": b64url(n), "e": b64url((65537).to_bytes(3, "big"))}


def main():
    global KEY, ISSUER, PASSWORD, RSA_KEY_FILE, RSA_JWK
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key-file", required=True)
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--tls-port", type=int, help="also serve HTTPS here (MSAL accepts only https authorities)")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--rsa-key", help="PEM RSA key that signs OpenID Connect ID tokens (RS256)")
    args = parser.parse_args()
    if args.rsa_key:
        RSA_KEY_FILE = args.rsa_key
        RSA_JWK = load_rsa_key(args.rsa_key)
    with open(args.key_file) as f:
        KEY = base64.b64decode(f.read().strip())
    ISSUER = args.issuer
    PASSWORD = args.password
    if args.tls_port:
        tls_server = ThreadingHTTPServer(("127.0.0.1", args.tls_port), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        tls_server.socket = context.wrap_socket(tls_server.socket, server_side=True)
        threading.Thread(target=tls_server.serve_forever, daemon=True).start()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


KEY = b""
ISSUER = ""
PASSWORD = ""
RSA_KEY_FILE = ""
RSA_JWK = {}

if __name__ == "__main__":
    main()
