"""Container health check: exit 0 when this container's /healthz answers 200, 1 otherwise.

Sent with the first of ALLOWED_HOSTS as Host (Django refuses other hosts) to 127.0.0.1:$PORT.
/healthz is exempt from the HTTPS redirect, so no proxy header is needed.
"""
import http.client
import os
import sys

host = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
if host in ("", "*"):
    host = "localhost"
try:
    connection = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8000")), timeout=10)
    connection.request("GET", "/healthz", headers={"Host": host})
    status = connection.getresponse().status
except OSError as exc:
    print(f"healthz: {exc}", file=sys.stderr)
    sys.exit(1)
sys.exit(0 if status == 200 else 1)
