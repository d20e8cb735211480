"""Response headers: a Content-Security-Policy on every HTML page (the desk
may evaluate scripts for Alpine.js, the portal and the print preview may not),
and the production settings the README gives pass ``check --deploy`` with
HSTS, the https redirect and secure cookies."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.conftest import advance_skt, make_skt

ROOT = Path(__file__).resolve().parents[2]
CSP = "Content-Security-Policy"


def directives(response) -> dict:
    policy = response[CSP]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_portal_pages_allow_no_inline_or_evaluated_script(client):
    for url in ("/", "/ajukan/skt/", "/lacak/"):
        response = client.get(url)
        assert response.status_code == 200
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"]
    assert client.get("/")["X-Frame-Options"] == "DENY"


def test_desk_allows_alpine_and_print_preview_no_script(login_as):
    client = login_as("pelayanan_kbk")
    desk = directives(client.get("/app/"))
    assert desk["script-src"] == ["'self'", "'unsafe-eval'"]
    assert "'unsafe-inline'" not in desk["script-src"]
    doc = advance_skt(make_skt(), "SKT Terbit")
    preview = client.get(f"/app/perizinan/permohonanskt/{doc.pk}/cetak/")
    assert preview.status_code == 200
    policy = directives(preview)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["img-src"] == ["'self'", "data:"]  # the QR code


def test_files_carry_no_policy(login_as):
    client = login_as("pelayanan_kbk")
    doc = advance_skt(make_skt(), "SKT Terbit")
    response = client.get(f"/app/perizinan/permohonanskt/{doc.pk}/pdf/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response["Content-Type"] == "application/pdf"
    assert CSP not in response


def _production_env(tmp_path, **extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SITE_DIR": str(tmp_path / "site"),
        # as in the README's production section
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "bakesbangpol.example.go.id",
        "SITE_URL": "https://bakesbangpol.example.go.id",
        "SECURE_COOKIES": "1",
        "TRUSTED_PROXY_IP_HEADER": "HTTP_X_REAL_IP",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        shown.stdout.strip().splitlines()[-1] == "31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https') True"
    ), shown
