"""The shell's precache manifest: every file with its content hash, one version for them all."""

import re


def test_the_precache_manifest_lists_the_shell_with_content_hashes(client):
    manifest = client.get("/app/precache.json").json
    assert manifest["shell"] == "/app" and manifest["urls"][0] == "/app"
    for url in manifest["urls"][1:]:
        assert re.fullmatch(r"/static/[\w/.-]+\?v=[0-9a-f]{12}", url), url
        assert client.get(url).status_code == 200
    assert re.fullmatch(r"[0-9a-f]{16}", manifest["version"])


def test_the_shell_registers_the_worker_of_its_own_version(client):
    version = client.get("/app/precache.json").json["version"]
    page = client.get("/app")
    assert page.headers["Cache-Control"] == "no-cache"
    assert f'<meta name="adref-version" content="{version}">' in page.text


def test_the_service_worker_is_served_at_the_root_uncached(client):
    response = client.get("/sw.js?v=abc")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    assert response.mimetype == "text/javascript"


def test_every_file_of_the_shell_is_sent_compressed(client):
    """The precached app is sent compressed, as a browser asks over HTTPS: scripts too (which
    Python names text/javascript), so the tablet's first download stays small."""
    urls = client.get("/app/precache.json").json["urls"]
    for url in urls:
        if "/icons/" in url:
            continue
        answer = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert answer.headers.get("Content-Encoding") in {"br", "zstd", "gzip"}, url
