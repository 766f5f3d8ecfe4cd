"""Signs in as the administrator a benchmark's `serve` was started with and prints a new API key.

    KEY=$(python3 bench/api_key.py http://127.0.0.1:8080 admin@example.com password)
"""

import json
import sys
import urllib.request


def call(url: str, path: str, body: dict, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def main() -> None:
    url, email, password = sys.argv[1:4]
    tokens = call(url, "/api/v1/auth/login", {"email": email, "password": password})
    key = call(url, "/api/v1/api-keys", {"name": "benchmark"}, {"authorization": "Bearer " + tokens["access_token"]})
    print(key["key"])


if __name__ == "__main__":
    main()
